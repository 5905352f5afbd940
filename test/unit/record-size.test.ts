/**
 * A Record's public form must fit one transparency-log entry (C2SP tlog-tiles: 65,535 bytes), or
 * its entry bundle could never be served. The domain caps what repeats (evidence, assignments);
 * this seals the largest Record those caps and the input schemas allow — every free text at its
 * longest (committed, so only its digest counts), every sub and id at its longest, the most
 * escalations the configuration allows — and checks it fits, with room to spare.
 */
import { RECORD_CAPS } from '../../domain/intake-machine';
import { createDisclosure, sealedForm } from '../../trust/disclosure';
import { MAX_RECORD_BYTES, RECORD_TYPE, sealDocument, type RecordDocument } from '../../trust/record';

const sub = (c: string) => c.repeat(200); // principalSchema: sub at most 200 characters
const operatorId = 'o'.repeat(64); // operatorIdSchema: at most 64
const uuid = '01234567-89ab-4cde-8f01-23456789abcd';
const at = '2026-12-07T23:59:59.999Z';
const ref = (claim: string, length: number) => createDisclosure(claim, 'x'.repeat(length)).ref;
const MAX_ESCALATION_LEVEL = 10; // config: ESCALATION_MAX_LEVEL at most 10

function largestRecord(): RecordDocument {
  const admin = { sub: sub('a'), role: 'admin', operatorId: null };
  const staff = { sub: sub('s'), role: 'operator', operatorId };
  const assignments = Array.from({ length: RECORD_CAPS.assignments }, () => ({
    kind: 'assign',
    audience: 'admin',
    by: admin,
    at,
    details: { operatorId, previousOperatorId: operatorId },
  }));
  const escalations = Array.from({ length: MAX_ESCALATION_LEVEL + 1 }, (_, level) => ({
    kind: 'escalate',
    audience: 'admin',
    by: { sub: 'system', role: 'system', operatorId: null },
    at,
    details: {
      fromAudience: 'admin',
      toAudience: 'admin',
      fromLevel: level,
      toLevel: level + 1,
      reason: `no governance decision for 365d 23h 59m 59s (operator audience, level ${level}) since ${at}`,
    },
  }));
  const evidence = Array.from({ length: RECORD_CAPS.evidence }, (_, seq) => ({
    id: uuid,
    seq: seq + 1,
    kind: 'measurement',
    description: ref('description', 5_000),
    sha256: 'f'.repeat(64),
    uri: ref('uri', 2_000),
    mediaType: `application/${'m'.repeat(88)}`, // at most 100 characters
    value: ref('value', 5_000),
    unit: ref('unit', 50),
    capturedAt: at,
    recordedBy: staff.sub,
    recordedAt: at,
  }));
  return sealedForm({
    type: RECORD_TYPE,
    _sd_alg: 'sha-256',
    recordId: uuid,
    sequence: Number.MAX_SAFE_INTEGER,
    prevHash: 'f'.repeat(64),
    sealedAt: at,
    chain: {
      actorId: ref('actorId', 36),
      requestId: uuid,
      intakeId: uuid,
      taskId: uuid,
      jobId: uuid,
      serviceEventId: uuid,
    },
    workflow: { workflowId: `intake-${uuid}`, runId: uuid },
    request: {
      channel: 'in_person',
      receivedAt: at,
      submittedBy: { sub: ref('sub', 200), role: 'requester' },
      payload: {
        channel: 'in_person',
        operatorId,
        actor: {
          kind: 'business',
          name: ref('name', 200),
          contact: { email: ref('email', 320), phone: ref('phone', 40), address: ref('address', 500) },
        },
        request: {
          category: 'c'.repeat(100),
          summary: ref('summary', 500),
          details: ref('details', 10_000),
          location: ref('location', 500),
          preferredWindow: ref('preferredWindow', 80),
        },
      },
    },
    governance: [
      { kind: 'approve', audience: 'admin', by: admin, at, details: { note: ref('note', 2_000) } },
      ...escalations,
      ...assignments,
      { kind: 'create_job', audience: 'admin', by: admin, at, details: { jobId: uuid, operatorId } },
    ],
    job: { operatorId, createdAt: at, createdBy: admin },
    claim: { by: staff.sub, at },
    execution: {
      openedBy: staff.sub,
      openedAt: at,
      stages: ['en_route', 'on_site', 'in_progress', 'wrapping_up'].map((stage) => ({ stage, at, by: staff.sub })),
      evidence,
      closedBy: staff.sub,
      closedAt: at,
    },
    outcome: { status: 'completed', summary: ref('summary', 5_000) },
  } as RecordDocument);
}

test('the largest Record the caps allow fits a log entry, with a tenth to spare', () => {
  const { canonical } = sealDocument(largestRecord());
  expect(canonical.length).toBeLessThan(MAX_RECORD_BYTES * 0.9);
  expect(canonical.length).toBeGreaterThan(MAX_RECORD_BYTES * 0.6); // it is the largest: near the limit
});

test('without the caps it would not: 60 evidence entries and 25 assignments overflow an entry', () => {
  const doc = largestRecord();
  const evidence = doc.execution.evidence;
  const more = { ...doc, execution: { ...doc.execution, evidence: [...evidence, ...evidence.slice(0, 10)] } };
  const assigns = doc.governance.filter((g) => g.kind === 'assign');
  const moreStill = { ...more, governance: [...doc.governance, ...assigns.slice(0, 5)] };
  expect(sealDocument(moreStill).canonical.length).toBeGreaterThan(MAX_RECORD_BYTES);
});
