/**
 * The sealed Record (`qtm.record/v1`): one canonical JSON document per completed
 * ServiceEvent, hashed with SHA-256 and chained to the previous Record's hash. Verification
 * works on the stored bytes, never on a re-serialisation of them.
 */
import { canonicalBytes, sha256Hex } from './canonical';

/**
 * v2 commits to personal values (SD-JWT digests in `_sd` arrays, trust/disclosure.ts) where v1
 * held them in the clear. Records sealed as v1 stay v1 forever and keep verifying.
 */
export const RECORD_TYPE = 'qtm.record/v2';
export const RECORD_TYPE_V1 = 'qtm.record/v1';
export const RECORD_TYPES: readonly string[] = [RECORD_TYPE_V1, RECORD_TYPE];
export const isRecordType = (type: unknown): boolean => typeof type === 'string' && RECORD_TYPES.includes(type);

/**
 * C2SP tlog-tiles' largest entry (a two-byte length prefix): a Record's bytes must fit, or its
 * entry bundle could never be served. The domain's caps on evidence and decisions keep every
 * Record below it (test/unit/record-size.test.ts); the seal refuses one that is not.
 */
export const MAX_RECORD_BYTES = 65_535;

export interface RecordPrincipal {
  sub: string;
  role: string;
  operatorId: string | null;
}

/** Digests of the values an object commits to (v2), in place of those fields. */
interface Commits {
  _sd?: string[];
}

/**
 * The document; field names are part of the format, so change them only with a new type. In v2
 * the personal fields (the Actor's id and the requester's sub too) are absent, committed in `_sd`.
 */
export interface RecordDocument {
  type: typeof RECORD_TYPE | typeof RECORD_TYPE_V1;
  /** v2: the hash of the digests in `_sd` arrays (RFC 9901). */
  _sd_alg?: 'sha-256';
  recordId: string;
  sequence: number;
  prevHash: string | null;
  sealedAt: string;
  chain: Commits & {
    actorId?: string;
    requestId: string;
    intakeId: string;
    taskId: string;
    jobId: string;
    serviceEventId: string;
  };
  workflow: { workflowId: string; runId: string };
  request: {
    channel: string;
    receivedAt: string;
    submittedBy: Commits & { sub?: string; role: string };
    payload: unknown;
    /** v1 only: the body's SHA-256 (a guess of the body could be confirmed against it). */
    payloadSha256?: string;
  };
  governance: Array<{
    kind: string;
    audience: string;
    by: RecordPrincipal;
    at: string;
    details: Record<string, unknown>;
  }>;
  job: { operatorId: string; createdAt: string; createdBy: RecordPrincipal };
  claim: { by: string; at: string };
  execution: {
    openedBy: string;
    openedAt: string;
    stages: Array<{ stage: string; at: string; by: string }>;
    evidence: Array<Record<string, unknown>>;
    closedBy: string;
    closedAt: string;
  };
  outcome: Commits & { status: 'completed' | 'failed'; summary?: string };
}

export interface SealedBytes {
  canonical: Buffer;
  hash: string;
}

export function sealDocument(doc: RecordDocument): SealedBytes {
  const canonical = canonicalBytes(doc);
  return { canonical, hash: sha256Hex(canonical) };
}

export interface StoredRecord {
  id: string;
  sequence: number;
  hash: string;
  prevHash: string | null;
  canonical: Buffer;
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * Checks one stored Record: its bytes hash to its hash, the bytes are canonical and describe
 * this record, and it links to `previous` (the Record one sequence earlier, or none for the
 * first). Every check is reported, so a failure says exactly what broke.
 */
export function verifyRecord(
  record: StoredRecord,
  previous: Pick<StoredRecord, 'id' | 'sequence' | 'hash'> | null,
): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const actual = sha256Hex(record.canonical);
  checks.push({
    name: 'hash',
    ok: actual === record.hash,
    detail:
      actual === record.hash
        ? `sha256 of the stored bytes is ${actual}`
        : `stored bytes hash to ${actual}, record says ${record.hash}`,
  });

  let doc: Partial<RecordDocument> | null = null;
  try {
    doc = JSON.parse(record.canonical.toString('utf8')) as Partial<RecordDocument>;
  } catch {
    checks.push({ name: 'document', ok: false, detail: 'stored bytes are not JSON' });
  }
  if (doc) {
    const canonical = canonicalBytes(doc).equals(record.canonical);
    checks.push({
      name: 'canonical',
      ok: canonical,
      detail: canonical ? 'stored bytes are RFC 8785 canonical JSON' : 'stored bytes are not in canonical form',
    });
    const describesThis =
      isRecordType(doc.type) &&
      doc.recordId === record.id &&
      doc.sequence === record.sequence &&
      (doc.prevHash ?? null) === record.prevHash;
    checks.push({
      name: 'document',
      ok: describesThis,
      detail: describesThis
        ? `${String(doc.type)} document of record ${record.id}, sequence ${record.sequence}`
        : `document says type ${String(doc.type)}, record ${String(doc.recordId)}, sequence ${String(doc.sequence)}, prevHash ${String(doc.prevHash)}`,
    });
  }

  if (record.sequence === 1) {
    const ok = record.prevHash === null && previous === null;
    checks.push({
      name: 'link',
      ok,
      detail: ok ? 'first record of the chain (no previous hash)' : 'the first record must have no previous hash',
    });
  } else if (!previous) {
    checks.push({
      name: 'link',
      ok: false,
      detail: `record ${record.sequence - 1}, which this record follows, is missing`,
    });
  } else {
    const ok = previous.sequence === record.sequence - 1 && previous.hash === record.prevHash;
    checks.push({
      name: 'link',
      ok,
      detail: ok
        ? `prevHash matches record ${previous.id} (sequence ${previous.sequence})`
        : `prevHash ${record.prevHash} does not match record ${previous.id} (sequence ${previous.sequence}, hash ${previous.hash})`,
    });
  }
  return checks;
}
