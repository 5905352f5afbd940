// Generated from client/openapi.json by `npm run client:generate`; do not edit.
export interface paths {
    "/.well-known/did.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * DID document of the Signal issuer
         * @description The did:web document of the issuer named in every Signal (did:web of PUBLIC_BASE_URL’s host, or SIGNAL_ISSUER): its Signal keys, current and retired, as JsonWebKey verification methods for assertions.
         */
        get: operations["getDidDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys that verify Signals
         * @description Every key that has signed Signals: the current one and the retired ones, each with its validity period as `nbf` / `exp` (NumericDate), so that Signals issued before a rotation still verify offline. Checkpoints are signed by other keys: GET /v1/log/keys.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/decode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decode Temporal payloads
         * @description Temporal's codec-server protocol: decrypts the payloads of this deployment's namespace (X-Namespace) for the Web UI or the CLI (`--codec-endpoint`). Payloads that are not encrypted come back unchanged. Admins only, by bearer token or the codec session cookie; CORS admits the Web UI (TEMPORAL_UI_URL).
         */
        post: operations["codecDecode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/encode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Encode Temporal payloads
         * @description Temporal's codec-server protocol: encrypts payloads under the current payload key (what the Web UI sends when ops staff signal or start a workflow by hand). Admins only, as decode.
         */
        post: operations["codecEncode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a codec session for the Web UI
         * @description Sets the codec session cookie (HttpOnly, SameSite=Strict, Path=/codec) for TEMPORAL_CODEC_SESSION_LIFETIME: a Web UI on the same site with "include cross-origin credentials" on then gets payloads decoded. Call it from the browser that opens the Web UI (the console does). Admins only.
         */
        post: operations["startCodecSession"];
        /**
         * End the codec session
         * @description Clears the codec session cookie of this browser.
         */
        delete: operations["endCodecSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readable API documentation */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/log/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * tlog-tiles: the latest witnessed checkpoint
         * @description The C2SP tlog-tiles checkpoint: the latest checkpoint whose witness policy held (published only once witnessed, as Tessera does), with its cosignature lines.
         */
        get: operations["getTlogCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/log/tile/{tilePath}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * tlog-tiles: a hash tile or an entry bundle
         * @description A hash tile holds the W (256 when full) hashes of level 8·L of the tree at indices 256·N … 256·N+W−1, 32 bytes each; level 0 holds the leaf hashes. An entry bundle holds the entries of leaves 256·N …, each as a 2-byte big-endian length and the Record’s stored canonical bytes (what the leaf hashes). Full tiles never change and are cached for a year; only tiles within the latest checkpoint exist. Bundles hold only Records’ public forms (qtm.record/v2: personal values as commitments); a bundle with a Record sealed before commitments is 404. Compressed with gzip when asked (Accept-Encoding).
         */
        get: operations["getTlogTile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description For clients on the same machine (loopback), or anyone sending `Authorization: Bearer <METRICS_TOKEN>` (a static token from the configuration, not a JWT); 403 for everyone else.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ns/service-attribution/v1": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * JSON-LD context of ⭐ Signals
         * @description The context document of the credential’s second `@context` URL: the terms of QtmServiceAttribution.
         */
        get: operations["getSignalContext"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OpenAPI 3.1 document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness (Postgres and Temporal reachable) */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actors/{actorId}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase an Actor’s personal data
         * @description Forgets the Actor’s personal values everywhere the system holds them (the vault, evidence files of its intakes); answers then show those fields as null with `erasedAt`. Every Record, proof, checkpoint and Signal still verifies: they hold only commitments. Each of its intakes’ audit trails records who erased, when and why, and an `actor.erased` webhook event goes out. Idempotent: a repeat answers the same `erasedAt` and erases nothing more (unless new data arrived since). What it cannot reach: copies already delivered to webhook subscribers or disclosed to third parties.
         */
        post: operations["eraseActor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How to sign in
         * @description Public settings for getting a bearer token: with an OpenID Provider, its issuer, the audience and the console's public client for the authorization-code flow with PKCE (S256); otherwise the development tokens.
         */
        get: operations["getAuthConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the bearer token names
         * @description The principal this API reads in the token (its sub, role and operator), as every other endpoint sees it: with an OpenID Provider only the API knows how the claims map, so a client signing in asks here.
         */
        get: operations["getAuthenticatedPrincipal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dev/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a development token
         * @description Development only (DEV_TOKENS=on, which production refuses): a client on the same machine (loopback) may get a token for any principal, as `npm run token` prints; any other client gets 403. With DEV_TOKENS off the path does not exist (404).
         */
        post: operations["createDevToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/evidence-files/{sha256}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an evidence file
         * @description The file’s bytes with the media type of its upload, Content-Length and ETag (its hash), cacheable privately for good (the bytes of a hash never change). Readable by admins, by the operator of a ServiceEvent it was uploaded to, and by the requester of that Intake once the ServiceEvent’s evidence references it; 404 to anyone else, as for a hash never stored. Always served as an attachment with nosniff and a sandboxing CSP, so no uploaded HTML or SVG runs in the API’s origin.
         */
        get: operations["getEvidenceFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/intakes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the whole chain of an Intake
         * @description `{request, intake, task, job, serviceEvent, record, signal, phase, history}`; links that do not exist yet are null. Readable by admins, its requester, and the operator the work is with now (once a Job exists, the Job’s operator; before, the operator governing the Task while it is in its audience, and the one it is assigned to); 403 to anyone else.
         */
        get: operations["getIntake"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/intakes/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a Request before a Job exists */
        post: operations["withdrawIntake"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Job */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Claim a queued Job */
        post: operations["claimJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a claimed Job (opens its one ServiceEvent) */
        post: operations["startJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/log/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest signed checkpoint of the Record log
         * @description A C2SP tlog-checkpoint signed note (text/plain) by default, with the witnesses’ cosignatures (C2SP tlog-cosignature), as transparency-log tools expect. With `?format=json` or `Accept: application/json`: the same note with its parsed fields, the verifier key and whether it is witnessed. This is the latest checkpoint, witnessed or not; /log/checkpoint serves the latest witnessed one.
         */
        get: operations["getLogCheckpoint"];
        put?: never;
        /**
         * Sign a checkpoint now
         * @description Runs the checkpoint workflow (the one the Schedule runs) and answers with its result. 201 when a new checkpoint was signed, 200 when the log had not grown since the latest one. The worker’s signer normally makes one within LOG_CHECKPOINT_DELAY of every new Record anyway.
         */
        post: operations["signLogCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/log/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consistency proof between two tree sizes
         * @description RFC 9162 proof that the tree of size `to` extends the tree of size `from`. Both sizes must be within the latest checkpoint.
         */
        get: operations["getLogConsistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/log/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The keys that sign and cosign checkpoints
         * @description Every note verifier key the log has signed checkpoints with, the retired ones with their validity period (so earlier checkpoints verify after a rotation), and the witnesses it asks to cosign.
         */
        get: operations["getLogKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the known operators
         * @description The operators requesters may address and admins may assign, in id order; `category` filters by what they do.
         */
        get: operations["listOperators"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators/{operatorId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a known operator */
        get: operations["getOperator"];
        /**
         * Register an operator, or update it
         * @description The operator’s business name and what it does. Only a registered operator may be addressed at submission or assigned a Task. 201 when new, 200 when updated.
         */
        put: operations["putOperator"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators/{operatorId}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an operator’s finished Jobs
         * @description Its Jobs that are completed or failed, the most recently finished first (the latest `limit`).
         */
        get: operations["getOperatorDone"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators/{operatorId}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an operator’s queue
         * @description Its Jobs that are queued, claimed or in progress, oldest first.
         */
        get: operations["getOperatorQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators/{operatorId}/signals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an operator’s ⭐ Signals */
        get: operations["listOperatorSignals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a sealed Record */
        get: operations["getRecord"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/{id}/disclosures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The disclosures that open a Record’s commitments
         * @description A v2 Record commits to each personal value by a salted digest (SD-JWT, RFC 9901). Each disclosure here opens one of them: hand it to a third party with the Record and `qtm-verify --record … --disclosure …` shows that the Record committed to that value, and nothing else. Values erased since (POST /v1/actors/{actorId}/erasure) have no disclosure any more; the Record still verifies.
         */
        get: operations["getRecordDisclosures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Inclusion proof of a Record
         * @description Proves the Record’s leaf is in the latest checkpoint, or in the checkpoint of `treeSize`. 409 while the Record is not yet in that checkpoint (at most LOG_CHECKPOINT_DELAY after its seal while the signer runs).
         */
        get: operations["getRecordProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify a Record’s hash and chain link
         * @description Recomputes SHA-256 over the stored canonical bytes and checks the link to the previous Record, then that the bytes are still the leaf appended to the transparency log and included in its latest signed checkpoint.
         */
        get: operations["verifyRecord"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an Actor’s Request
         * @description Kept exactly as received and converted into an Intake and its Task (audience `operator` when `operatorId` is given, else `admin`). `operatorId` must name a known operator (GET /v1/operators), else 422. A requester is its own Actor; an admin enters a Request on an Actor’s behalf (phone, email, …).
         */
        post: operations["submitRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Request exactly as received */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/service-events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a ServiceEvent
         * @description Current stage, stage history, evidence and outcome.
         */
        get: operations["getServiceEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/service-events/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete the ServiceEvent with its outcome
         * @description Closes the ServiceEvent; the Record is sealed and, for `completed`, the ⭐ Signal emitted shortly after.
         */
        post: operations["completeServiceEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/service-events/{id}/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add evidence to the open ServiceEvent
         * @description A file (photo, document, signature or uri) carries its SHA-256, so the file can later be deleted without breaking the seal. 409 after completion.
         */
        post: operations["addEvidence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/service-events/{id}/evidence/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload an evidence file
         * @description The body is the file, its media type the Content-Type, from the staff member who claimed the Job. The server computes its SHA-256 while storing it as it streams in; reference the hash from an evidence entry (`POST /v1/service-events/{id}/evidence`, kind photo, document or signature). With `?sha256=`, bytes that hash otherwise are refused. At most EVIDENCE_FILE_LIMIT bytes (default 20 MB): 413 as soon as a body passes it; at most EVIDENCE_UPLOAD_CONCURRENCY uploads at once: 503 with Retry-After beyond.
         */
        post: operations["uploadEvidenceFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/service-events/{id}/stage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move the ServiceEvent to a later stage
         * @description Stages only move forward: en_route → on_site → in_progress → wrapping_up (skips allowed).
         */
        post: operations["moveServiceEventStage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a ⭐ Signal
         * @description The decoded Verifiable Credential and its signed compact JWS (typ vc+jwt, EdDSA). Advisory attribution, never a score.
         */
        get: operations["getSignal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Tasks
         * @description Admins list admin-audience tasks (or, with `audience=operator`, any operator’s); an operator lists its own operator-audience tasks.
         */
        get: operations["listTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Task with its decisions and escalations */
        get: operations["getTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a pending Task
         * @description Governance actor of the task’s audience; 409 unless pending.
         */
        post: operations["approveTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign (or re-assign) a Task to an operator
         * @description To a known operator (GET /v1/operators), else 422 naming it. An operator-audience task may only be assigned to its own operator.
         */
        post: operations["assignTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/job": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create the Job (the explicit act)
         * @description Approval and assignment never create a Job by themselves: this does, once, for an approved and assigned Task. Retrying with the same Idempotency-Key returns the same Job.
         */
        post: operations["createJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a Task
         * @description Before any Job exists; ends the Intake as rejected.
         */
        post: operations["rejectTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook subscriptions */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Subscribe a URL to chain events
         * @description Deliveries start with changes made after the subscription. The answer carries the signing secret, once.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a webhook subscription */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook subscription
         * @description Nothing more is delivered; pending deliveries are cancelled. The delivery log is kept.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a subscription’s deliveries
         * @description Each delivery with its attempts, how the last one ended (HTTP status, a one-word outcome, its duration; never what the subscriber answered), and the next attempt. Newest first.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeliver one delivery
         * @description A failed (or succeeded) delivery is sent again, with the same webhook-id and body and a fresh retry budget. 409 while it is still pending.
         */
        post: operations["redeliverWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description A new secret signs from now on. Until previousSecretExpiresAt every delivery carries a second signature made with the old secret, so receivers can switch without losing a delivery.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "actor.erased": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * actor.erased, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["actorErasedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "intake.submitted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * intake.submitted, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["intakeSubmittedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.claimed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * job.claimed, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["jobClaimedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * job.created, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["jobCreatedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "record.sealed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * record.sealed, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["recordSealedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "service_event.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * service_event.completed, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["serviceEventCompletedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "signal.emitted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * signal.emitted, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["signalEmittedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "task.decided": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * task.decided, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["taskDecidedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "task.escalated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * task.escalated, delivered to subscribers of it
         * @description Standard Webhooks: verify webhook-signature (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the subscription secret; several space-separated `v1,` signatures during a rotation) before trusting the body. At least once: deduplicate by webhook-id.
         */
        post: operations["taskEscalatedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        ActorErased: {
            /** Format: uuid */
            actorId: string;
            /** Format: date-time */
            erasedAt: string;
            /** @description Evidence files deleted by this call */
            filesErased: number;
            /** @description Records of this Actor sealed before commitments (qtm.record/v1) that still hold its values: sealed bytes never change */
            recordsKeepingValues: number;
            /** @description Personal values forgotten by this call (0 on a repeat) */
            valuesErased: number;
        };
        ActorErasedEvent: {
            data: {
                /** Format: uuid */
                actorId: string;
                /** Format: date-time */
                erasedAt: string;
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                link: string;
                /** @enum {string} */
                reason: "data_subject_request" | "consent_withdrawn" | "legal_obligation" | "retention_expired";
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "actor.erased";
        };
        ActorErasure: {
            /** @enum {string} */
            reason: "data_subject_request" | "consent_withdrawn" | "legal_obligation" | "retention_expired";
            /**
             * @description Your ticket or case number for the request (not personal data)
             * @example DSR-2026-0412
             */
            reference?: string;
        };
        ApproveTask: {
            note?: string;
        };
        AssignTask: {
            /** @example op-northside-plumbing */
            operatorId: string;
        };
        AuthConfig: {
            /** @description The resource indicator (`resource`) to ask tokens for */
            audience: string;
            /** @description The public client for the authorization-code flow with PKCE; null if none is set up */
            clientId: string | null;
            /** @description The provider's OpenID Connect discovery document */
            discoveryUrl: string;
            /** @example https://login.example.com/realms/qtm */
            issuer: string;
            /**
             * @description Access tokens from an OpenID Provider
             * @enum {string}
             */
            mode: "oidc";
            /** @enum {string} */
            pkce: "S256";
            scopes: string[];
        } | {
            audience: string | null;
            issuer: string;
            /**
             * @description HS256 development tokens from the data folder
             * @enum {string}
             */
            mode: "dev";
            /** @example npm run --silent token -- <role> <sub> [operatorId] */
            tokenCommand: string;
        };
        /**
         * @description The kind of work, from a fixed vocabulary (stated in public Signals)
         * @enum {string}
         */
        Category: "plumbing" | "electrical" | "heating" | "cooling" | "roofing" | "carpentry" | "painting" | "cleaning" | "locksmith" | "appliance_repair" | "gardening" | "pest_control" | "maintenance" | "other";
        CodecPayload: {
            data?: string;
            metadata?: {
                [key: string]: string;
            };
        };
        /** @description temporal.api.common.v1.Payloads as protobuf JSON */
        CodecPayloads: {
            payloads: components["schemas"]["CodecPayload"][];
        };
        CodecSession: {
            /** @description When the cookie stops being accepted (ISO 8601) */
            expiresAt: string;
        };
        CompleteServiceEvent: {
            /** @enum {string} */
            outcome: "completed" | "failed";
            summary: string;
        };
        DevToken: {
            expiresAt: string;
            principal: components["schemas"]["Principal"];
            /** @description A bearer token (HS256, the development secret) */
            token: string;
            /** @enum {string} */
            tokenType: "Bearer";
        };
        DevTokenRequest: {
            /** @example op-northside-plumbing */
            operatorId?: string;
            /** @enum {string} */
            role: "requester" | "operator" | "admin";
            sub: string;
        };
        Evidence: components["schemas"]["EvidenceInput"] & {
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            recordedAt: string;
            recordedBy: string;
            seq: number;
        };
        EvidenceAdded: {
            /** Format: uuid */
            evidenceId: string;
            seq: number;
            /** Format: uuid */
            serviceEventId: string;
        };
        EvidenceFile: {
            /** @description This upload’s media type: what the file is served as to its uploader and the readers of this upload */
            mediaType: string;
            /** Format: uuid */
            serviceEventId: string;
            /** @description SHA-256 of the bytes, as the server computed it */
            sha256: string;
            /** @description Bytes */
            size: number;
            uploadedAt: string;
        };
        EvidenceInput: {
            /** Format: date-time */
            capturedAt?: string;
            description?: string;
            /** @enum {string} */
            kind: "note" | "photo" | "document" | "measurement" | "checklist" | "signature";
            mediaType?: string;
            sha256?: string;
            unit?: string;
            /** Format: uri */
            uri?: string;
            value?: string | number | boolean | {
                [key: string]: string | number | boolean;
            };
        };
        FinishedJobs: {
            items: components["schemas"]["Job"][];
        };
        IntakeChain: {
            /** @description When the Actor’s personal data was erased, if it was */
            erasedAt: string | null;
            history: {
                [key: string]: unknown;
            }[];
            intake: {
                [key: string]: unknown;
            };
            job: components["schemas"]["Job"] | null;
            /** @enum {string} */
            phase: "governance" | "queued" | "claimed" | "executing" | "sealing" | "sealed" | "rejected" | "withdrawn";
            record: components["schemas"]["Record"] & ({
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                intakeId: string;
                operatorId: string;
            } | null);
            request: components["schemas"]["Request"] | null;
            serviceEvent: components["schemas"]["ServiceEvent"] | null;
            signal: components["schemas"]["Signal"] | null;
            task: components["schemas"]["Task"] | null;
        };
        IntakeSubmittedEvent: {
            data: {
                /** @enum {string} */
                audience: "operator" | "admin";
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                link: string;
                operatorId: string | null;
                /** Format: uuid */
                requestId: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "intake.submitted";
        };
        Job: {
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            claimedAt: string | null;
            claimedBy: string | null;
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            createdAt: string;
            createdBy: {
                operatorId: string | null;
                role: ("requester" | "operator" | "admin") | "system";
                sub: string;
            };
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            intakeId: string;
            operatorId: string;
            /** Format: uuid */
            serviceEventId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            startedAt: string | null;
            /** @enum {string} */
            status: "queued" | "claimed" | "in_progress" | "completed" | "failed";
            /** Format: uuid */
            taskId: string;
        };
        JobClaimedEvent: {
            data: {
                claimedBy: components["schemas"]["WebhookPrincipal"];
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /** Format: uuid */
                jobId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Job (PUBLIC_BASE_URL)
                 */
                link: string;
                operatorId: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "job.claimed";
        };
        JobCreatedEvent: {
            data: {
                createdBy: components["schemas"]["WebhookPrincipal"];
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /** Format: uuid */
                jobId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Job (PUBLIC_BASE_URL)
                 */
                link: string;
                operatorId: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "job.created";
        };
        JobPage: {
            items: components["schemas"]["Job"][];
            nextCursor: string | null;
        };
        JsonWebKeySet: {
            keys: {
                [key: string]: unknown;
            }[];
        };
        LogCheckpoint: {
            cosignatures: components["schemas"]["LogCosignature"][];
            createdAt: string;
            /** @description Signed-note key id, hex */
            keyId: string;
            keyName: string;
            /** @description The C2SP signed note: the log’s signature, then the witnesses’ cosignature lines */
            note: string;
            origin: string;
            /** @description Root hash, hex (the note carries it in base64) */
            rootHash: string;
            treeSize: number;
            /** @description The note verifier key (name+id+base64(0x01 ‖ Ed25519 public key)) that signed it, from GET /v1/log/keys; null if no published key did */
            verifierKey: string | null;
            /** @description Whether its witness policy (LOG_WITNESS_THRESHOLD) held */
            witnessed: boolean;
        };
        LogConsistencyProof: {
            from: number;
            proof: string[];
            to: number;
        };
        LogCosignature: {
            cosignedAt: string;
            keyId: string;
            witness: string;
        };
        LogKeys: {
            keys: {
                current: boolean;
                keyId: string;
                validFrom: string | null;
                /** @description Null for the current key */
                validUntil: string | null;
                verifierKey: string;
            }[];
            origin: string;
            witnesses: {
                name: string;
                verifierKey: string;
            }[];
            witnessThreshold: number;
        };
        Operator: {
            /** @description What it does; empty for an operator registered from earlier work and not yet described */
            categories: components["schemas"]["Category"][];
            createdAt: string;
            /** @description The business’s name (not a person’s) */
            displayName: string;
            /** @example op-northside-plumbing */
            id: string;
            updatedAt: string;
        };
        OperatorPage: {
            items: components["schemas"]["Operator"][];
            nextCursor: string | null;
        };
        OperatorRegistration: {
            /** @description What the operator does: kinds of work from the fixed vocabulary */
            categories: components["schemas"]["Category"][];
            /**
             * @description The name of the business, as requesters and admins see it (never a person’s name: the directory is readable by every signed-in principal)
             * @example Northside Plumbing
             */
            displayName: string;
        };
        Principal: {
            /** @example op-northside-plumbing */
            operatorId?: string;
            /** @enum {string} */
            role: "requester" | "operator" | "admin";
            sub: string;
        };
        Problem: {
            detail: string;
            errors?: {
                message: string;
                path: string;
            }[];
            instance?: string;
            requestId?: string;
            status: number;
            title: string;
            type: string;
        };
        Readiness: {
            checks: {
                postgres: string;
                temporal: string;
            };
            /** @enum {string} */
            status: "ready" | "not_ready";
        };
        Record: {
            /** @description The stored canonical bytes (what the hash covers) */
            canonicalBase64: string;
            hash: string;
            prevHash: string | null;
            /** @description The sealed document: qtm.record/v2 (personal values as commitments) or v1 */
            record: {
                [key: string]: unknown;
            };
            sealedAt: string;
            sequence: number;
        };
        RecordDisclosures: {
            /** @description How many values the Record commits to */
            committed: number;
            disclosures: {
                claim: string;
                /** @description base64url JSON [salt, claim, value] (personal: it holds the value) */
                disclosure: string;
                /**
                 * @description Where the value sits in the Record
                 * @example outcome.summary
                 */
                path: string;
            }[];
            /** Format: uuid */
            recordId: string;
        };
        RecordInclusionProof: {
            /** @description RFC 9162 inclusion path, nearest the leaf first */
            auditPath: string[];
            /** @description The signed checkpoint note of this tree size, with cosignatures */
            checkpoint: string;
            /** @description SHA-256(0x00 ‖ the Record’s stored canonical bytes), hex */
            leafHash: string;
            leafIndex: number;
            /** Format: uuid */
            recordId: string;
            rootHash: string;
            treeSize: number;
        };
        RecordSealedEvent: {
            data: {
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /** Format: uuid */
                jobId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Record (PUBLIC_BASE_URL)
                 */
                link: string;
                recordHash: string;
                /** Format: uuid */
                recordId: string;
                recordSequence: number;
                /** Format: uuid */
                serviceEventId: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "record.sealed";
        };
        RecordVerification: {
            checks: {
                detail: string;
                name: string;
                ok: boolean;
            }[];
            /** Format: uuid */
            recordId: string;
            valid: boolean;
        };
        RejectTask: {
            reason: string;
        };
        Request: {
            actor: {
                /** @description Personal; values null once erased */
                contact?: {
                    [key: string]: unknown;
                };
                /** Format: uuid */
                id: string;
                kind: string;
                /** @description Personal; null once erased */
                name: string | null;
            };
            /** @description The request body exactly as received; its personal values null once erased */
            body: {
                [key: string]: unknown;
            };
            /** @description The body’s fingerprint (an HMAC under the intake’s key when it holds personal values) */
            bodySha256: string;
            channel: string;
            /** @description When the Actor’s personal data was erased, if it was */
            erasedAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            intakeId: string | null;
            receivedAt: string;
            submittedBy: {
                role: string;
                sub: string;
            };
        };
        ServiceEvent: {
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            closedAt: string | null;
            evidence: components["schemas"]["Evidence"][];
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            intakeId: string;
            /** Format: uuid */
            jobId: string;
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            openedAt: string;
            openedBy: string;
            operatorId: string;
            /** @enum {string|null} */
            outcome: "completed" | "failed" | null;
            /** @enum {string|null} */
            stage: "en_route" | "on_site" | "in_progress" | "wrapping_up" | null;
            stageHistory: {
                /**
                 * Format: date-time
                 * @example 2026-11-26T09:30:00.000Z
                 */
                at: string;
                by: string;
                /** @enum {string} */
                stage: "en_route" | "on_site" | "in_progress" | "wrapping_up";
            }[];
            /** @enum {string} */
            status: "open" | "closed";
            summary: string | null;
        };
        ServiceEventCompletedEvent: {
            data: {
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /** Format: uuid */
                jobId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the ServiceEvent (PUBLIC_BASE_URL)
                 */
                link: string;
                /** @enum {string} */
                outcome: "completed" | "failed";
                /** Format: uuid */
                serviceEventId: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "service_event.completed";
        };
        Signal: {
            /** Format: uuid */
            id: string;
            issuedAt: string;
            jws: string;
            operatorId: string;
            /** Format: uuid */
            recordId: string;
            signal: {
                [key: string]: unknown;
            };
        };
        SignalEmittedEvent: {
            data: {
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /** Format: uuid */
                jobId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the ⭐ Signal (PUBLIC_BASE_URL)
                 */
                link: string;
                /** Format: uuid */
                recordId: string;
                /** Format: uuid */
                serviceEventId: string;
                /** Format: uuid */
                signalId: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "signal.emitted";
        };
        SignalPage: {
            items: components["schemas"]["Signal"][];
            nextCursor: string | null;
        };
        StageChange: {
            /** @enum {string} */
            stage: "en_route" | "on_site" | "in_progress" | "wrapping_up";
        };
        StartedServiceEvent: components["schemas"]["ServiceEvent"] & {
            /** Format: uuid */
            serviceEventId: string;
        };
        SubmissionResult: {
            /** Format: uuid */
            intakeId: string;
            /** @enum {string} */
            phase: "governance" | "queued" | "claimed" | "executing" | "sealing" | "sealed" | "rejected" | "withdrawn";
            /** Format: uuid */
            requestId: string;
            task: {
                /** @enum {string} */
                audience: "operator" | "admin";
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                status: "pending" | "approved" | "rejected" | "withdrawn" | "job_created";
            };
            /** Format: uuid */
            taskId: string;
            workflowId: string;
        };
        SubmitRequest: {
            actor: {
                contact?: {
                    address?: string;
                    /** Format: email */
                    email?: string;
                    phone?: string;
                };
                /** Format: uuid */
                id?: string;
                /** @enum {string} */
                kind: "person" | "business";
                name: string;
            };
            /** @enum {string} */
            channel: "web" | "email" | "phone" | "api" | "sms" | "in_person" | "partner";
            /** @example op-northside-plumbing */
            operatorId?: string;
            request: {
                category: components["schemas"]["Category"];
                details?: string;
                location?: string | {
                    address?: string;
                    lat?: number;
                    lng?: number;
                };
                preferredWindow?: {
                    /** Format: date-time */
                    end: string;
                    /** Format: date-time */
                    start: string;
                };
                summary: string;
            };
        };
        Task: {
            assigneeOperatorId: string | null;
            /** @enum {string} */
            audience: "operator" | "admin";
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            createdAt: string;
            decisions: components["schemas"]["TaskDecision"][];
            escalationLevel: number;
            escalations: components["schemas"]["TaskEscalation"][];
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            intakeId: string;
            /** Format: uuid */
            jobId: string | null;
            /** @description The operator whose own request this is (operator audience) */
            operatorId: string | null;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected" | "withdrawn" | "job_created";
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            updatedAt: string;
        };
        TaskDecidedEvent: {
            data: {
                decidedBy: components["schemas"]["WebhookPrincipal"];
                /** @enum {string} */
                decision: "approve" | "reject" | "assign" | "withdraw";
                /** @description operatorId as decided; a note or reason only as its reference (sd:…), its value readable through the API by those who may (never personal data in a webhook) */
                details: {
                    [key: string]: unknown;
                };
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Task (PUBLIC_BASE_URL)
                 */
                link: string;
                /** Format: uuid */
                taskId: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "task.decided";
        };
        TaskDecision: {
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            at: string;
            /** @enum {string} */
            audience: "operator" | "admin";
            by: {
                operatorId: string | null;
                role: ("requester" | "operator" | "admin") | "system";
                sub: string;
            };
            details: {
                [key: string]: unknown;
            };
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "approve" | "reject" | "assign" | "create_job" | "withdraw";
        };
        TaskEscalatedEvent: {
            data: {
                /** @description audience/level before, e.g. operator/0 */
                from: string;
                /** Format: uuid */
                intakeId: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Intake (PUBLIC_BASE_URL)
                 */
                intakeLink: string;
                /**
                 * Format: uri
                 * @description Absolute URL of the Task (PUBLIC_BASE_URL)
                 */
                link: string;
                reason: string;
                /** Format: uuid */
                taskId: string;
                /** @description audience/level after, e.g. admin/1 */
                to: string;
            };
            /** @enum {string} */
            datacontenttype: "application/json";
            /**
             * Format: uuid
             * @description The event id; also the webhook-id header, the same on every attempt
             */
            id: string;
            /** @description CloudEvents sequence extension: orders the events of one Intake (compare as strings) */
            sequence: string;
            /**
             * Format: uri
             * @description The Intake the event belongs to
             */
            source: string;
            /** @enum {string} */
            specversion: "1.0";
            /** @description The resource, relative to the API: tasks/<id>, jobs/<id>, … */
            subject: string;
            /** Format: date-time */
            time: string;
            /** @enum {string} */
            type: "task.escalated";
        };
        TaskEscalation: {
            /**
             * Format: date-time
             * @example 2026-11-26T09:30:00.000Z
             */
            at: string;
            /** @enum {string} */
            fromAudience: "operator" | "admin";
            fromLevel: number;
            /** Format: uuid */
            id: string;
            reason: string;
            /** @enum {string} */
            toAudience: "operator" | "admin";
            toLevel: number;
        };
        TaskPage: {
            items: components["schemas"]["Task"][];
            nextCursor: string | null;
        };
        WebhookDelivery: {
            attempts: number;
            createdAt: string;
            deliveredAt: string | null;
            /** @enum {string} */
            eventType: "intake.submitted" | "task.decided" | "task.escalated" | "job.created" | "job.claimed" | "service_event.completed" | "record.sealed" | "signal.emitted" | "actor.erased";
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            intakeId: string;
            lastAttemptAt: string | null;
            /** @description How long the last attempt took */
            lastDurationMs: number | null;
            /** @description The same in a few words of ours (`HTTP 503`, `no answer within 10000 ms`, `refused: …`); never what the subscriber answered */
            lastError: string | null;
            /**
             * @description How the last attempt ended (or why none was made), as one word
             * @enum {string|null}
             */
            lastOutcome: "delivered" | "http_error" | "timeout" | "connection_refused" | "connection_failed" | "dns_failed" | "tls_failed" | "address_refused" | "not_signed" | "cancelled" | "not_attempted" | "gave_up" | null;
            /** @description HTTP status of the last attempt */
            lastStatus: number | null;
            nextAttemptAt: string | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "cancelled";
            /** Format: uuid */
            subscriptionId: string;
            /**
             * Format: uuid
             * @description The webhook-id header and CloudEvent id; the same on every attempt
             */
            webhookId: string;
        };
        WebhookDeliveryPage: {
            items: components["schemas"]["WebhookDelivery"][];
            nextCursor: string | null;
        };
        WebhookPage: {
            items: components["schemas"]["WebhookSubscription"][];
            nextCursor: string | null;
        };
        WebhookPrincipal: {
            operatorId: string | null;
            /** @enum {string} */
            role: "requester" | "operator" | "admin" | "system";
            sub: string;
        };
        WebhookSecretRotated: {
            /** Format: uuid */
            id: string;
            previousSecretExpiresAt: string;
            /** @description The signing secret (Standard Webhooks whsec_ form). Shown only in this answer; store it now */
            secret: string;
        };
        WebhookSecretRotation: {
            /** @description How long the old secret still signs (default WEBHOOK_SECRET_OVERLAP) */
            overlap?: string;
        };
        WebhookSubscription: {
            createdAt: string;
            createdBy: string;
            description: string | null;
            eventTypes: ("intake.submitted" | "task.decided" | "task.escalated" | "job.created" | "job.claimed" | "service_event.completed" | "record.sealed" | "signal.emitted" | "actor.erased")[];
            /** Format: uuid */
            id: string;
            /** @description Until then deliveries are signed with the rotated-out secret too */
            previousSecretExpiresAt: string | null;
            updatedAt: string;
            url: string;
        };
        WebhookSubscriptionCreated: components["schemas"]["WebhookSubscription"] & {
            /** @description The signing secret (Standard Webhooks whsec_ form). Shown only in this answer; store it now */
            secret: string;
        };
        WebhookSubscriptionInput: {
            description?: string;
            eventTypes: ("intake.submitted" | "task.decided" | "task.escalated" | "job.created" | "job.claimed" | "service_event.completed" | "record.sealed" | "signal.emitted" | "actor.erased")[];
            /** @description http(s) URL; refused if it resolves to a loopback, private or link-local address */
            url: string;
        };
        WithdrawIntake: {
            reason?: string;
        };
        Withdrawn: {
            /** Format: uuid */
            intakeId: string;
            /** @enum {string} */
            phase: "governance" | "queued" | "claimed" | "executing" | "sealing" | "sealed" | "rejected" | "withdrawn";
            task: components["schemas"]["Task"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getDidDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description DID document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/did+json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON Web Key Set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonWebKeySet"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    codecDecode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodecPayloads"];
            };
        };
        responses: {
            /** @description The payloads, decoded, in the same order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecPayloads"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    codecEncode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodecPayloads"];
            };
        };
        responses: {
            /** @description The payloads, encoded, in the same order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecPayloads"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startCodecSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cookie is set (Set-Cookie) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecSession"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    endCodecSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cookie is cleared */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTlogCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No witnessed checkpoint yet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTlogTile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<L>/<N>[.p/<W>]` (a hash tile of level L) or `entries/<N>[.p/<W>]` (an entry bundle), N written as 3-digit path elements, all but the last prefixed with x (1234067 → x001/x234/067) */
                tilePath: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a tile path, or a tile beyond the latest checkpoint */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Neither a loopback client nor the METRICS_TOKEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSignalContext: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON-LD context */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/ld+json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Generated from the same zod schemas that validate requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    eraseActor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                actorId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ActorErasure"];
            };
        };
        responses: {
            /** @description Erased */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActorErased"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuthConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sign-in settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfig"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuthenticatedPrincipal: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The principal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Principal"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDevToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DevTokenRequest"];
            };
        };
        responses: {
            /** @description The token */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevToken"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The client is not on this machine (not a loopback address) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEvidenceFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sha256: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getIntake: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chain so far */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntakeChain"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawIntake: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WithdrawIntake"];
            };
        };
        responses: {
            /** @description Withdrawn; the Intake has ended */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Withdrawn"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    claimJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Claim a queued Job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Start a claimed Job (opens its one ServiceEvent) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartedServiceEvent"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogCheckpoint: {
        parameters: {
            query?: {
                format?: "note" | "json";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note, or with `?format=json` the note and its parsed fields */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogCheckpoint"];
                    "text/plain": string;
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No checkpoint has been made yet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signLogCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The log had not grown: the latest checkpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogCheckpoint"];
                };
            };
            /** @description A new checkpoint */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogCheckpoint"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogConsistencyProof: {
        parameters: {
            query: {
                from: number;
                to: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof (empty when from = to) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogConsistencyProof"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `to` is beyond the latest checkpoint */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The log’s keys and witnesses */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogKeys"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOperators: {
        parameters: {
            query?: {
                /** @description Only operators that do this kind of work */
                category?: components["schemas"]["Category"] & unknown;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of operators */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorPage"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOperator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operatorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operator */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putOperator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operatorId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorRegistration"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOperatorDone: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                operatorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest finished jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FinishedJobs"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOperatorQueue: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                operatorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOperatorSignals: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                operatorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of signals, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignalPage"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The qtm.record/v1 document, its hash, chain link and sequence */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRecordDisclosures: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the vault still holds for the Record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordDisclosures"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRecordProof: {
        parameters: {
            query?: {
                treeSize?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof and the checkpoint it leads to */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordInclusionProof"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown record, or no checkpoint of that tree size */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Record is not yet in a checkpoint (of that size) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each check and the verdict */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordVerification"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    submitRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitRequest"];
            };
        };
        responses: {
            /** @description The Intake and Task exist */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmissionResult"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `operatorId` names no known operator, or the Idempotency-Key was used with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Request, its channel, actor and time */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getServiceEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ServiceEvent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceEvent"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    completeServiceEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompleteServiceEvent"];
            };
        };
        responses: {
            /** @description Complete the ServiceEvent with its outcome */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceEvent"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addEvidence: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvidenceInput"];
            };
        };
        responses: {
            /** @description Add evidence to the open ServiceEvent */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceAdded"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadEvidenceFile: {
        parameters: {
            query?: {
                /** @description The SHA-256 the client computed; checked against the bytes */
                sha256?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file’s bytes */
        requestBody: {
            content: {
                "*/*": string;
            };
        };
        responses: {
            /** @description Stored: its hash, size and this upload’s media type */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceFile"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The ServiceEvent is closed: it takes no more evidence */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The file is larger than EVIDENCE_FILE_LIMIT */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No media type, or a Content-Encoding other than identity */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description As many uploads as EVIDENCE_UPLOAD_CONCURRENCY are in progress: retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    moveServiceEventStage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StageChange"];
            };
        };
        responses: {
            /** @description Move the ServiceEvent to a later stage */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceEvent"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSignal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Signal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signal"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTasks: {
        parameters: {
            query?: {
                audience?: "operator" | "admin";
                cursor?: string;
                /** @description Only Tasks that were (true) or were never (false) escalated */
                escalated?: "true" | "false";
                limit?: number;
                status?: "pending" | "approved" | "rejected" | "withdrawn" | "job_created";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tasks, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPage"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    approveTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApproveTask"];
            };
        };
        responses: {
            /** @description Approve a pending Task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    assignTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssignTask"];
            };
        };
        responses: {
            /** @description Assign (or re-assign) a Task to an operator */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description operatorId names no known operator, or the Idempotency-Key was used with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Create the Job (the explicit act) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rejectTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key are applied once and get the first answer */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RejectTask"];
            };
        };
        responses: {
            /** @description Reject a Task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused with a different body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of subscriptions, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookPage"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookSubscriptionInput"];
            };
        };
        responses: {
            /** @description The subscription, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSubscriptionCreated"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription (never its secret) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSubscription"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redeliverWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookSecretRotation"];
            };
        };
        responses: {
            /** @description The new secret, once */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecretRotated"];
                };
            };
            /** @description Invalid path, query or body (the errors name the fields) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, expired or invalid bearer token */
            401: {
                headers: {
                    /** @description RFC 6750 challenge: `Bearer`, with `error="invalid_token"` when a token was given but is bad */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This principal may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The step is not allowed in the current state (the detail says why) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large (counted after its Content-Encoding is undone) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body not UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests: the detail names the budget spent (this principal, this address, refused tokens); Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds until the spent budget is renewed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    actorErasedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["ActorErasedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    intakeSubmittedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["IntakeSubmittedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobClaimedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["JobClaimedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobCreatedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["JobCreatedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    recordSealedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["RecordSealedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    serviceEventCompletedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["ServiceEventCompletedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    signalEmittedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["SignalEmittedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    taskDecidedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["TaskDecidedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    taskEscalatedWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The event id, the same on every attempt */
                "webhook-id": string;
                /** @description v1,<base64 HMAC-SHA256>, space-separated */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["TaskEscalatedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx acknowledges the delivery; anything else, or no answer in time, is retried */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
type FlattenedDeepRequired<T> = {
    [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>;
};
type ReadonlyArray<T> = [
    Exclude<T, undefined>
] extends [
    unknown[]
] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
export const pathsHealthzGetResponses200ContentApplicationJsonStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/healthz"]["get"]["responses"]["200"]["content"]["application/json"]["status"]> = ["ok"];
export const pathsV1LogCheckpointGetParametersQueryFormatValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/log/checkpoint"]["get"]["parameters"]["query"]["format"]> = ["note", "json"];
export const pathsV1TasksGetParametersQueryAudienceValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/tasks"]["get"]["parameters"]["query"]["audience"]> = ["operator", "admin"];
export const pathsV1TasksGetParametersQueryEscalatedValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/tasks"]["get"]["parameters"]["query"]["escalated"]> = ["true", "false"];
export const pathsV1TasksGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/tasks"]["get"]["parameters"]["query"]["status"]> = ["pending", "approved", "rejected", "withdrawn", "job_created"];
export const pathsV1WebhooksIdDeliveriesGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/webhooks/{id}/deliveries"]["get"]["parameters"]["query"]["status"]> = ["pending", "succeeded", "failed", "cancelled"];
export const actorErasedEventDataReasonValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ActorErasedEvent"]["data"]["reason"]> = ["data_subject_request", "consent_withdrawn", "legal_obligation", "retention_expired"];
export const actorErasedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ActorErasedEvent"]["datacontenttype"]> = ["application/json"];
export const actorErasedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ActorErasedEvent"]["specversion"]> = ["1.0"];
export const actorErasedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ActorErasedEvent"]["type"]> = ["actor.erased"];
export const actorErasureReasonValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ActorErasure"]["reason"]> = ["data_subject_request", "consent_withdrawn", "legal_obligation", "retention_expired"];
export const authConfigOneOf0ModeValues: ReadonlyArray<Extract<FlattenedDeepRequired<components>["schemas"]["AuthConfig"], {
    mode: unknown;
}>["mode"]> = ["oidc"];
export const authConfigOneOf0PkceValues: ReadonlyArray<Extract<FlattenedDeepRequired<components>["schemas"]["AuthConfig"], {
    pkce: unknown;
}>["pkce"]> = ["S256"];
export const authConfigOneOf1ModeValues: ReadonlyArray<Extract<FlattenedDeepRequired<components>["schemas"]["AuthConfig"], {
    mode: unknown;
}>["mode"]> = ["dev"];
export const categoryValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Category"]> = ["plumbing", "electrical", "heating", "cooling", "roofing", "carpentry", "painting", "cleaning", "locksmith", "appliance_repair", "gardening", "pest_control", "maintenance", "other"];
export const completeServiceEventOutcomeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["CompleteServiceEvent"]["outcome"]> = ["completed", "failed"];
export const devTokenTokenTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["DevToken"]["tokenType"]> = ["Bearer"];
export const devTokenRequestRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["DevTokenRequest"]["role"]> = ["requester", "operator", "admin"];
export const evidenceInputKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EvidenceInput"]["kind"]> = ["note", "photo", "document", "measurement", "checklist", "signature"];
export const intakeChainPhaseValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["IntakeChain"]["phase"]> = ["governance", "queued", "claimed", "executing", "sealing", "sealed", "rejected", "withdrawn"];
export const intakeSubmittedEventDataAudienceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["IntakeSubmittedEvent"]["data"]["audience"]> = ["operator", "admin"];
export const intakeSubmittedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["IntakeSubmittedEvent"]["datacontenttype"]> = ["application/json"];
export const intakeSubmittedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["IntakeSubmittedEvent"]["specversion"]> = ["1.0"];
export const intakeSubmittedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["IntakeSubmittedEvent"]["type"]> = ["intake.submitted"];
export const jobCreatedByRoleAnyOf0Values: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Job"]["createdBy"]["role"]> = ["requester", "operator", "admin"];
export const jobCreatedByRoleAnyOf1Values: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Job"]["createdBy"]["role"]> = ["system"];
export const jobStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Job"]["status"]> = ["queued", "claimed", "in_progress", "completed", "failed"];
export const jobClaimedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobClaimedEvent"]["datacontenttype"]> = ["application/json"];
export const jobClaimedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobClaimedEvent"]["specversion"]> = ["1.0"];
export const jobClaimedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobClaimedEvent"]["type"]> = ["job.claimed"];
export const jobCreatedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobCreatedEvent"]["datacontenttype"]> = ["application/json"];
export const jobCreatedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobCreatedEvent"]["specversion"]> = ["1.0"];
export const jobCreatedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["JobCreatedEvent"]["type"]> = ["job.created"];
export const principalRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Principal"]["role"]> = ["requester", "operator", "admin"];
export const readinessStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Readiness"]["status"]> = ["ready", "not_ready"];
export const recordSealedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["RecordSealedEvent"]["datacontenttype"]> = ["application/json"];
export const recordSealedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["RecordSealedEvent"]["specversion"]> = ["1.0"];
export const recordSealedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["RecordSealedEvent"]["type"]> = ["record.sealed"];
export const serviceEventStageHistoryStageValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ServiceEvent"]["stageHistory"]["stage"]> = ["en_route", "on_site", "in_progress", "wrapping_up"];
export const serviceEventStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ServiceEvent"]["status"]> = ["open", "closed"];
export const serviceEventCompletedEventDataOutcomeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ServiceEventCompletedEvent"]["data"]["outcome"]> = ["completed", "failed"];
export const serviceEventCompletedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ServiceEventCompletedEvent"]["datacontenttype"]> = ["application/json"];
export const serviceEventCompletedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ServiceEventCompletedEvent"]["specversion"]> = ["1.0"];
export const serviceEventCompletedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ServiceEventCompletedEvent"]["type"]> = ["service_event.completed"];
export const signalEmittedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SignalEmittedEvent"]["datacontenttype"]> = ["application/json"];
export const signalEmittedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SignalEmittedEvent"]["specversion"]> = ["1.0"];
export const signalEmittedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SignalEmittedEvent"]["type"]> = ["signal.emitted"];
export const stageChangeStageValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["StageChange"]["stage"]> = ["en_route", "on_site", "in_progress", "wrapping_up"];
export const submissionResultPhaseValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SubmissionResult"]["phase"]> = ["governance", "queued", "claimed", "executing", "sealing", "sealed", "rejected", "withdrawn"];
export const submissionResultTaskAudienceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SubmissionResult"]["task"]["audience"]> = ["operator", "admin"];
export const submissionResultTaskStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SubmissionResult"]["task"]["status"]> = ["pending", "approved", "rejected", "withdrawn", "job_created"];
export const submitRequestActorKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SubmitRequest"]["actor"]["kind"]> = ["person", "business"];
export const submitRequestChannelValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SubmitRequest"]["channel"]> = ["web", "email", "phone", "api", "sms", "in_person", "partner"];
export const taskAudienceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Task"]["audience"]> = ["operator", "admin"];
export const taskStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Task"]["status"]> = ["pending", "approved", "rejected", "withdrawn", "job_created"];
export const taskDecidedEventDataDecisionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecidedEvent"]["data"]["decision"]> = ["approve", "reject", "assign", "withdraw"];
export const taskDecidedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecidedEvent"]["datacontenttype"]> = ["application/json"];
export const taskDecidedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecidedEvent"]["specversion"]> = ["1.0"];
export const taskDecidedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecidedEvent"]["type"]> = ["task.decided"];
export const taskDecisionAudienceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecision"]["audience"]> = ["operator", "admin"];
export const taskDecisionByRoleAnyOf0Values: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecision"]["by"]["role"]> = ["requester", "operator", "admin"];
export const taskDecisionByRoleAnyOf1Values: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecision"]["by"]["role"]> = ["system"];
export const taskDecisionKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskDecision"]["kind"]> = ["approve", "reject", "assign", "create_job", "withdraw"];
export const taskEscalatedEventDatacontenttypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskEscalatedEvent"]["datacontenttype"]> = ["application/json"];
export const taskEscalatedEventSpecversionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskEscalatedEvent"]["specversion"]> = ["1.0"];
export const taskEscalatedEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskEscalatedEvent"]["type"]> = ["task.escalated"];
export const taskEscalationFromAudienceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskEscalation"]["fromAudience"]> = ["operator", "admin"];
export const taskEscalationToAudienceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TaskEscalation"]["toAudience"]> = ["operator", "admin"];
export const webhookDeliveryEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDelivery"]["eventType"]> = ["intake.submitted", "task.decided", "task.escalated", "job.created", "job.claimed", "service_event.completed", "record.sealed", "signal.emitted", "actor.erased"];
export const webhookDeliveryStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDelivery"]["status"]> = ["pending", "succeeded", "failed", "cancelled"];
export const webhookPrincipalRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookPrincipal"]["role"]> = ["requester", "operator", "admin", "system"];
export const webhookSubscriptionEventTypesValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookSubscription"]["eventTypes"]> = ["intake.submitted", "task.decided", "task.escalated", "job.created", "job.claimed", "service_event.completed", "record.sealed", "signal.emitted", "actor.erased"];
export const webhookSubscriptionInputEventTypesValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookSubscriptionInput"]["eventTypes"]> = ["intake.submitted", "task.decided", "task.escalated", "job.created", "job.claimed", "service_event.completed", "record.sealed", "signal.emitted", "actor.erased"];
export const withdrawnPhaseValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Withdrawn"]["phase"]> = ["governance", "queued", "claimed", "executing", "sealing", "sealed", "rejected", "withdrawn"];
