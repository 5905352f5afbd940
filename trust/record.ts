/**
 * The sealed Record (`qtm.record/v1`): one canonical JSON document per completed
 * ServiceEvent, hashed with SHA-256 and chained to the previous Record's hash. Verification
 * works on the stored bytes, never on a re-serialisation of them.
 */
import { canonicalBytes, sha256Hex } from './canonical';

export const RECORD_TYPE = 'qtm.record/v1';

export interface RecordPrincipal {
  sub: string;
  role: string;
  operatorId: string | null;
}

/** The document; field names are part of the format, so change them only with a new type. */
export interface RecordDocument {
  type: typeof RECORD_TYPE;
  recordId: string;
  sequence: number;
  prevHash: string | null;
  sealedAt: string;
  chain: {
    actorId: string;
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
    submittedBy: { sub: string; role: string };
    payload: unknown;
    payloadSha256: string;
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
  outcome: { status: 'completed' | 'failed'; summary: string };
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
      doc.type === RECORD_TYPE &&
      doc.recordId === record.id &&
      doc.sequence === record.sequence &&
      (doc.prevHash ?? null) === record.prevHash;
    checks.push({
      name: 'document',
      ok: describesThis,
      detail: describesThis
        ? `${RECORD_TYPE} document of record ${record.id}, sequence ${record.sequence}`
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
