/**
 * The transparency log of Records: signed (and cosigned) checkpoints, inclusion proofs of Records,
 * consistency proofs, the log's keys, and the C2SP tlog-tiles API under /log/ for standard clients.
 *
 * Who may read: checkpoints, consistency proofs and hash tiles are public, because they carry only
 * sizes and hashes and exist so that anyone (auditors, witnesses) can check that the log only grows.
 * An inclusion proof names a Record and its position, so it is readable by exactly those who may
 * read that Record. The tiles' entry bundles are public too (DESIGN: the tile API is for anyone):
 * they hold the Records' bytes, which in a qtm.record/v2 are commitments to personal values, never
 * the values. A bundle with a Record sealed before commitments (v1) is not published at all.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import {
  checkpointAt,
  consistencyProof,
  cosignedNote,
  latestCheckpoint,
  latestCheckpointSize,
  latestCheckpointStatus,
  leafEntries,
  logSize,
  nodeHashes,
  witnessRefusalCounts,
  type StoredCheckpoint,
} from '../../db/log-store';
import { isRefusal, proveRecord } from '../../db/log-proofs';
import { checkpointNow } from '../../orchestration/log-checkpoint-schedule';
import { noteKeyId, verifierKey } from '../../trust/log-checkpoint';
import { mayReadRecord } from '../../domain/read-access';
import { RECORD_TYPE } from '../../trust/record';
import { allow, mustExist, type ApiDeps } from '../deps';
import { badRequest, conflict, HttpError, notFound } from '../errors';
import { problemSchema, type ApiRoutes } from '../route';
import { idParams } from '../schemas';
import { parseTileSegments, TILE_WIDTH, encodeEntryBundle, EntryTooLargeError } from '../../trust/log-tiles';

const treeSizeSchema = z.coerce
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(Number.MAX_SAFE_INTEGER, { message: 'is too large' });

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

const checkpointSchema = z
  .object({
    origin: z.string(),
    treeSize: z.number().int(),
    rootHash: hex32.openapi({ description: 'Root hash, hex (the note carries it in base64)' }),
    note: z.string().openapi({
      description: 'The C2SP signed note: the log’s signature, then the witnesses’ cosignature lines',
    }),
    keyName: z.string(),
    keyId: z.string().openapi({ description: 'Signed-note key id, hex' }),
    verifierKey: z.string().nullable().openapi({
      description:
        'The note verifier key (name+id+base64(0x01 ‖ Ed25519 public key)) that signed it, from GET /v1/log/keys; null if no published key did',
    }),
    witnessed: z.boolean().openapi({ description: 'Whether its witness policy (LOG_WITNESS_THRESHOLD) held' }),
    cosignatures: z.array(
      z.object({ witness: z.string(), keyId: z.string(), cosignedAt: z.string() }).openapi('LogCosignature'),
    ),
    createdAt: z.string(),
  })
  .openapi('LogCheckpoint');

const proofSchema = z
  .object({
    recordId: z.uuid(),
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    leafHash: hex32.openapi({ description: 'SHA-256(0x00 ‖ the Record’s stored canonical bytes), hex' }),
    rootHash: hex32,
    auditPath: z.array(hex32).openapi({ description: 'RFC 9162 inclusion path, nearest the leaf first' }),
    checkpoint: z.string().openapi({ description: 'The signed checkpoint note of this tree size, with cosignatures' }),
  })
  .openapi('RecordInclusionProof');

const logKeysSchema = z
  .object({
    origin: z.string(),
    keys: z.array(
      z.object({
        verifierKey: z.string(),
        keyId: z.string(),
        validFrom: z.string().nullable(),
        validUntil: z.string().nullable().openapi({ description: 'Null for the current key' }),
        current: z.boolean(),
      }),
    ),
    witnesses: z.array(z.object({ name: z.string(), verifierKey: z.string() })),
    witnessThreshold: z.number().int(),
  })
  .openapi('LogKeys');

const problem = (description: string) => ({
  description,
  schema: problemSchema,
  contentType: 'application/problem+json',
});

const consistencySchema = z
  .object({ from: z.number().int(), to: z.number().int(), proof: z.array(hex32) })
  .openapi('LogConsistencyProof');

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A Record's public form: canonical JSON of a qtm.record/v2 (personal values only as commitments). */
function isPublicForm(entry: Buffer): boolean {
  try {
    return (JSON.parse(entry.toString('utf8')) as { type?: unknown }).type === RECORD_TYPE;
  } catch {
    return false;
  }
}

function logMetrics(registry: Registry, deps: ApiDeps): void {
  const db = deps.db;
  new Gauge({
    name: 'qtm_log_leaves',
    help: 'Leaves in the Record log',
    registers: [registry],
    async collect() {
      this.set(await logSize(db));
    },
  });
  new Gauge({
    name: 'qtm_log_checkpoint_tree_size',
    help: 'Tree size of the latest signed checkpoint',
    registers: [registry],
    async collect() {
      this.set(await latestCheckpointSize(db));
    },
  });
  new Gauge({
    name: 'qtm_log_checkpoint_age_seconds',
    help: 'Age of the latest signed checkpoint',
    registers: [registry],
    async collect() {
      const latest = await latestCheckpointStatus(db);
      if (latest) this.set((Date.now() - latest.createdAt.getTime()) / 1000);
    },
  });
  new Gauge({
    name: 'qtm_log_checkpoint_witnessed',
    help: '1 when the latest checkpoint met its witness policy, 0 when not',
    registers: [registry],
    async collect() {
      const latest = await latestCheckpointStatus(db);
      if (latest) this.set(latest.witnessed ? 1 : 0);
    },
  });
  new Gauge({
    name: 'qtm_log_witness_refusals_total',
    help: 'Checkpoints a witness answered but refused to cosign, by witness and HTTP status',
    labelNames: ['witness', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await witnessRefusalCounts(db))
        this.set({ witness: r.witness, status: String(r.status) }, r.count);
    },
  });
}

export function logRoutes(api: ApiRoutes, deps: ApiDeps, registry?: Registry): void {
  if (registry) logMetrics(registry, deps);
  const origin = deps.config.LOG_ORIGIN;
  // Read when handling, not when declaring: declaring the routes touches no dependency (client:generate).
  const logKeys = () => deps.keys.log.published;
  const view = (c: StoredCheckpoint) => {
    const signer = logKeys().find((k) => noteKeyId(c.keyName, k.publicKey).toString('hex') === c.keyId);
    return {
      origin: c.origin,
      treeSize: c.treeSize,
      rootHash: c.rootHash.toString('hex'),
      note: cosignedNote(c),
      keyName: c.keyName,
      keyId: c.keyId,
      verifierKey: signer ? verifierKey(c.keyName, signer.publicKey) : null,
      witnessed: c.witnessed,
      cosignatures: c.cosignatures.map((s) => ({ witness: s.witness, keyId: s.keyId, cosignedAt: s.cosignedAt })),
      createdAt: c.createdAt,
    };
  };

  api.add({
    method: 'get',
    path: '/v1/log/checkpoint',
    operationId: 'getLogCheckpoint',
    tag: 'Transparency log',
    summary: 'The latest signed checkpoint of the Record log',
    description:
      'A C2SP tlog-checkpoint signed note (text/plain) by default, with the witnesses’ cosignatures (C2SP tlog-cosignature), as transparency-log tools expect. ' +
      'With `?format=json` or `Accept: application/json`: the same note with its parsed fields, the verifier key and whether it is witnessed. ' +
      'This is the latest checkpoint, witnessed or not; /log/checkpoint serves the latest witnessed one.',
    auth: 'public',
    query: z.object({ format: z.enum(['note', 'json']).optional() }),
    responses: {
      200: {
        description: 'The signed note, or with `?format=json` the note and its parsed fields',
        schema: z.string(),
        contentType: 'text/plain',
        alternative: { contentType: 'application/json', schema: checkpointSchema },
      },
      404: problem('No checkpoint has been made yet'),
    },
    handler: async ({ query, req }) => {
      const latest = await latestCheckpoint(deps.db);
      if (!latest) throw notFound('no checkpoint has been made yet');
      const json =
        query.format === 'json' ||
        (query.format === undefined && req.accepts(['text/plain', 'application/json']) === 'application/json');
      const headers = { 'Cache-Control': 'no-cache', Vary: 'Accept' };
      return json
        ? { status: 200, body: view(latest), headers }
        : { status: 200, raw: { type: 'text/plain; charset=utf-8', content: cosignedNote(latest) }, headers };
    },
  });

  api.add({
    method: 'post',
    path: '/v1/log/checkpoint',
    operationId: 'signLogCheckpoint',
    tag: 'Transparency log',
    summary: 'Sign a checkpoint now',
    description:
      'Runs the checkpoint workflow (the one the Schedule runs) and answers with its result. 201 when a new checkpoint was signed, 200 when the log had not grown since the latest one. ' +
      'The worker’s signer normally makes one within LOG_CHECKPOINT_DELAY of every new Record anyway.',
    auth: ['admin'],
    responses: {
      201: { description: 'A new checkpoint', schema: checkpointSchema },
      200: { description: 'The log had not grown: the latest checkpoint', schema: checkpointSchema },
    },
    handler: async () => {
      const made = await checkpointNow(deps.temporal, deps.config).catch((error: unknown) => {
        // The workflow refuses to sign over a log that no longer matches its last checkpoint.
        const cause = error instanceof WorkflowFailedError ? error.cause?.cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === 'QtmLogIntegrity')
          throw new HttpError(500, 'Log Integrity Failure', cause.message);
        throw error;
      });
      if (!made) throw conflict('the log is empty: there is nothing to checkpoint yet');
      const stored = mustExist(await checkpointAt(deps.db, made.treeSize), 'checkpoint');
      return { status: made.created ? 201 : 200, body: view(stored) };
    },
  });

  api.add({
    method: 'get',
    path: '/v1/log/keys',
    operationId: 'getLogKeys',
    tag: 'Transparency log',
    summary: 'The keys that sign and cosign checkpoints',
    description:
      'Every note verifier key the log has signed checkpoints with, the retired ones with their validity period (so earlier checkpoints verify after a rotation), and the witnesses it asks to cosign.',
    auth: 'public',
    responses: { 200: { description: 'The log’s keys and witnesses', schema: logKeysSchema } },
    handler: async () => ({
      status: 200,
      body: {
        origin,
        keys: logKeys().map((k) => ({
          verifierKey: verifierKey(origin, k.publicKey),
          keyId: noteKeyId(origin, k.publicKey).toString('hex'),
          validFrom: k.validFrom,
          validUntil: k.validUntil,
          current: k.kid === deps.keys.log.current.kid,
        })),
        witnesses: deps.config.LOG_WITNESSES.map((w) => ({ name: w.key.name, verifierKey: w.key.vkey })),
        witnessThreshold: deps.config.LOG_WITNESS_THRESHOLD,
      },
      headers: { 'Cache-Control': 'public, max-age=300' },
    }),
  });

  api.add({
    method: 'get',
    path: '/v1/records/:id/proof',
    operationId: 'getRecordProof',
    tag: 'Transparency log',
    summary: 'Inclusion proof of a Record',
    description:
      'Proves the Record’s leaf is in the latest checkpoint, or in the checkpoint of `treeSize`. 409 while the Record is not yet in that checkpoint (at most LOG_CHECKPOINT_DELAY after its seal while the signer runs).',
    auth: ['requester', 'operator', 'admin'],
    params: idParams,
    query: z.object({ treeSize: treeSizeSchema.optional() }),
    responses: {
      200: { description: 'The proof and the checkpoint it leads to', schema: proofSchema },
      404: problem('Unknown record, or no checkpoint of that tree size'),
      409: problem('The Record is not yet in a checkpoint (of that size)'),
    },
    handler: async ({ params, query, principal }) => {
      // The same rule as GET /v1/records/:id.
      const record = mustExist(await deps.readModel.record(params.id), 'record');
      const p = principal!;
      allow(mayReadRecord(record, p), 'only the requester, the operator and admins may read this record');
      const proof = await proveRecord(deps.db, params.id, query.treeSize);
      if (!isRefusal(proof)) return { status: 200, body: proof };
      throw proof.reason === 'unknown_checkpoint' ? notFound(proof.detail) : conflict(proof.detail);
    },
  });

  api.add({
    method: 'get',
    path: '/v1/log/consistency',
    operationId: 'getLogConsistencyProof',
    tag: 'Transparency log',
    summary: 'Consistency proof between two tree sizes',
    description:
      'RFC 9162 proof that the tree of size `to` extends the tree of size `from`. Both sizes must be within the latest checkpoint.',
    auth: 'public',
    query: z.object({ from: treeSizeSchema, to: treeSizeSchema }),
    responses: {
      200: { description: 'The proof (empty when from = to)', schema: consistencySchema },
      409: problem('`to` is beyond the latest checkpoint'),
    },
    handler: async ({ query }) => {
      if (query.from > query.to)
        throw badRequest('from must not exceed to', [
          { path: 'query.from', message: `must be at most to (${query.to})` },
        ]);
      const latest = await latestCheckpointSize(deps.db);
      if (query.to > latest)
        throw conflict(
          `tree size ${query.to} is not yet in a checkpoint (latest checkpoint: ${latest > 0 ? latest : 'none'})`,
        );
      const proof = await consistencyProof(deps.db, query.from, query.to);
      return { status: 200, body: { from: query.from, to: query.to, proof: proof.map((h) => h.toString('hex')) } };
    },
  });

  // --- C2SP tlog-tiles (https://c2sp.org/tlog-tiles) under /log/ ---------------------------------

  api.add({
    method: 'get',
    path: '/log/checkpoint',
    operationId: 'getTlogCheckpoint',
    tag: 'Transparency log (tlog-tiles)',
    summary: 'tlog-tiles: the latest witnessed checkpoint',
    description:
      'The C2SP tlog-tiles checkpoint: the latest checkpoint whose witness policy held (published only once witnessed, as Tessera does), with its cosignature lines.',
    auth: 'public',
    responses: {
      200: { description: 'The signed note', schema: z.string(), contentType: 'text/plain' },
      404: problem('No witnessed checkpoint yet'),
    },
    handler: async () => {
      const latest = await latestCheckpoint(deps.db, { witnessed: true });
      if (!latest) throw notFound('no witnessed checkpoint has been made yet');
      return {
        status: 200,
        raw: { type: 'text/plain; charset=utf-8', content: cosignedNote(latest) },
        headers: { 'Cache-Control': 'no-cache' },
      };
    },
  });

  api.add({
    method: 'get',
    path: '/log/tile/*tile',
    operationId: 'getTlogTile',
    docPath: '/log/tile/{tilePath}',
    docParams: z.object({
      tilePath: z.string().openapi({
        description:
          '`<L>/<N>[.p/<W>]` (a hash tile of level L) or `entries/<N>[.p/<W>]` (an entry bundle), N written as 3-digit path elements, all but the last prefixed with x (1234067 → x001/x234/067)',
        example: '0/x001/234.p/17',
      }),
    }),
    tag: 'Transparency log (tlog-tiles)',
    summary: 'tlog-tiles: a hash tile or an entry bundle',
    description:
      'A hash tile holds the W (256 when full) hashes of level 8·L of the tree at indices 256·N … 256·N+W−1, 32 bytes each; level 0 holds the leaf hashes. ' +
      'An entry bundle holds the entries of leaves 256·N …, each as a 2-byte big-endian length and the Record’s stored canonical bytes (what the leaf hashes). ' +
      'Full tiles never change and are cached for a year; only tiles within the latest checkpoint exist. Bundles hold only Records’ public forms (qtm.record/v2: personal values as commitments); a bundle with a Record sealed before commitments is 404. Compressed with gzip when asked (Accept-Encoding).',
    auth: 'public',
    params: z.object({ tile: z.array(z.string()) }),
    responses: {
      200: { description: 'The tile', schema: z.string(), contentType: 'application/octet-stream' },
      404: problem('Not a tile path, or a tile beyond the latest checkpoint'),
    },
    handler: async ({ params }) => {
      const tile = parseTileSegments(params.tile);
      if (!tile) throw notFound(`not a tlog-tiles path: /log/tile/${params.tile.join('/')}`);
      const size = await latestCheckpointSize(deps.db);
      const level = tile.kind === 'entries' ? 0 : tile.level * 8;
      const start = tile.index * TILE_WIDTH;
      // Nodes of that level in the tree of the latest checkpoint: floor(size / 2^level).
      const available = level > 62 ? 0 : Math.floor(size / 2 ** level);
      if (start + tile.width > available)
        throw notFound(`tile ${params.tile.join('/')} is beyond the tree of the latest checkpoint (size ${size})`);
      const headers = { 'Cache-Control': tile.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=60' };
      if (tile.kind === 'hashes') {
        const hashes = await nodeHashes(deps.db, level, start, tile.width);
        return {
          status: 200,
          raw: { type: 'application/octet-stream', content: Buffer.concat(hashes) },
          headers,
        };
      }
      const entries = await leafEntries(deps.db, start, tile.width);
      // Only Records' public forms are published: a v2 Record holds commitments, never a personal value.
      const unpublished = entries.findIndex((entry) => !isPublicForm(entry));
      if (unpublished >= 0)
        throw notFound(
          `entry ${start + unpublished} is not a public Record (a qtm.record/v1 sealed before commitments holds personal data); its hash is in the tiles, its bytes are readable with GET /v1/records/:id by those who may`,
        );
      try {
        return {
          status: 200,
          raw: { type: 'application/octet-stream', content: encodeEntryBundle(entries) },
          headers,
        };
      } catch (error) {
        if (error instanceof EntryTooLargeError)
          throw new HttpError(501, 'Not Implemented', `${error.message}; read it with GET /v1/records/:id`);
        throw error;
      }
    },
  });
}
