/**
 * The log publishes only Records' public forms: a Record with the most and largest evidence the
 * caps allow seals into one entry that its bundle serves (and the next entry is refused with 409);
 * a bundle holding a Record sealed before commitments (qtm.record/v1, personal data in the clear)
 * is not published, while its hash tile is. On a database of its own (its log is its own).
 */
import { RECORD_CAPS } from '../domain/intake-machine';
import { MAX_RECORD_BYTES } from '../trust/record';
import { decodeEntryBundle, tilePath } from '../trust/log-tiles';
import { startTestApiOnOwnDatabase, type HttpResult, type TestApi } from './support/api';
import { admin, operator, requester, requestBody } from './support/fixtures';
import { registerTestOperators } from './support/operators';
import { appendSyntheticRecords } from './support/synthetic-log';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApiOnOwnDatabase();
});
afterAll(() => api?.stop());

const long = (c: string, n: number) => c.repeat(n);

test('the largest evidence the caps allow seals into one entry its bundle serves', async () => {
  const operatorId = `op-${long('n', 61)}`;
  await registerTestOperators(api, [operatorId]);
  const boss = admin(`admin-${long('a', 194)}`);
  const staff = operator(operatorId, `${operatorId}-${long('s', 135)}`);
  const ok = async (what: string, res: Promise<HttpResult>, status = [200, 201, 202]) => {
    const r = await res;
    if (!status.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const { taskId, intakeId } = await ok(
    'submit',
    api.call('POST', '/v1/requests', { as: requester(), body: requestBody({ operatorId: undefined }) }),
  );
  await ok('approve', api.call('POST', `/v1/tasks/${taskId}/approve`, { as: boss, body: { note: long('n', 2000) } }));
  for (let i = 0; i < RECORD_CAPS.assignments; i += 1)
    await ok('assign', api.call('POST', `/v1/tasks/${taskId}/assign`, { as: boss, body: { operatorId } }));
  const refusedAssign = await api.call('POST', `/v1/tasks/${taskId}/assign`, { as: boss, body: { operatorId } });
  expect(refusedAssign.status).toBe(409);
  const job = await ok('job', api.call('POST', `/v1/tasks/${taskId}/job`, { as: boss, body: {} }));
  await ok('claim', api.call('POST', `/v1/jobs/${job.id}/claim`, { as: staff, body: {} }));
  const { serviceEventId } = await ok('start', api.call('POST', `/v1/jobs/${job.id}/start`, { as: staff, body: {} }));
  const evidence = (i: number) => ({
    kind: 'document',
    description: long('d', 5000),
    sha256: i.toString(16).padStart(64, '0'),
    uri: `https://files.example/${long('u', 1970)}`,
    mediaType: `application/${long('m', 88)}`,
    value: long('v', 5000),
    unit: long('u', 50),
    capturedAt: new Date().toISOString(),
  });
  for (let i = 0; i < RECORD_CAPS.evidence; i += 1)
    await ok(
      'evidence',
      api.call('POST', `/v1/service-events/${serviceEventId}/evidence`, { as: staff, body: evidence(i) }),
    );
  const refused = await api.call('POST', `/v1/service-events/${serviceEventId}/evidence`, {
    as: staff,
    body: evidence(99),
  });
  expect(refused.status).toBe(409);
  expect(refused.body.detail).toContain('the most its Record can hold');
  await ok(
    'complete',
    api.call('POST', `/v1/service-events/${serviceEventId}/complete`, {
      as: staff,
      body: { outcome: 'completed', summary: long('s', 5000) },
    }),
  );
  const outcome = await api.intakes.handle(intakeId).result();
  const record = (await api.call('GET', `/v1/records/${outcome.recordId}`, { as: boss })).body;
  const bytes = Buffer.from(record.canonicalBase64, 'base64');
  expect(bytes.length).toBeLessThanOrEqual(MAX_RECORD_BYTES);
  expect(record.record.execution.evidence).toHaveLength(RECORD_CAPS.evidence);

  const signed = await api.call('POST', '/v1/log/checkpoint', { as: boss });
  expect(signed.status).toBe(201);
  const size = signed.body.treeSize as number;
  const bundle = await fetch(`${api.url}/log/${tilePath({ kind: 'entries', index: 0, width: size })}`);
  expect(bundle.status).toBe(200);
  const entries = decodeEntryBundle(Buffer.from(await bundle.arrayBuffer()));
  expect(entries.at(-1)!.equals(bytes)).toBe(true);
});

test('a bundle with a Record sealed before commitments is not published; its hash tile is', async () => {
  await appendSyntheticRecords(api.ownerDb, 1, 'legacy', 'qtm.record/v1');
  const signed = await api.call('POST', '/v1/log/checkpoint', { as: admin() });
  expect(signed.status).toBe(201);
  const size = signed.body.treeSize as number;
  const bundle = await fetch(`${api.url}/log/${tilePath({ kind: 'entries', index: 0, width: size })}`);
  expect(bundle.status).toBe(404);
  expect(((await bundle.json()) as { detail: string }).detail).toContain(`entry ${size - 1} is not a public Record`);
  const hashes = await fetch(`${api.url}/log/${tilePath({ kind: 'hashes', level: 0, index: 0, width: size })}`);
  expect(hashes.status).toBe(200);
});
