import { admin, newOperatorId, operator, requestBody, requester } from './support/fixtures';
import { startTestApi, type TestApi } from './support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

test('smoke: the chain over HTTP', async () => {
  const opId = newOperatorId();
  const alice = requester();
  const boss = admin();
  const staff = operator(opId);
  const sub = await api.call('POST', '/v1/requests', { as: alice, body: requestBody() });
  expect(sub.status).toBe(201);
  const taskId = sub.body.taskId;
  expect((await api.call('POST', `/v1/tasks/${taskId}/approve`, { as: boss, body: {} })).status).toBe(200);
  expect((await api.call('POST', `/v1/tasks/${taskId}/assign`, { as: boss, body: { operatorId: opId } })).status).toBe(200);
  const job = await api.call('POST', `/v1/tasks/${taskId}/job`, { as: boss });
  expect(job.status).toBe(201);
  expect((await api.call('POST', `/v1/jobs/${job.body.id}/claim`, { as: staff })).status).toBe(200);
  const started = await api.call('POST', `/v1/jobs/${job.body.id}/start`, { as: staff });
  expect(started.status).toBe(201);
  const seId = started.body.serviceEventId;
  expect((await api.call('POST', `/v1/service-events/${seId}/evidence`, { as: staff, body: { kind: 'note', description: 'done' } })).status).toBe(201);
  expect((await api.call('POST', `/v1/service-events/${seId}/complete`, { as: staff, body: { outcome: 'completed', summary: 'ok' } })).status).toBe(202);
  await api.intakes.handle(sub.body.intakeId).result();
  const chain = await api.call('GET', `/v1/intakes/${sub.body.intakeId}`, { as: alice });
  expect(chain.status).toBe(200);
  expect(chain.body.phase).toBe('sealed');
  const verify = await api.call('GET', `/v1/records/${chain.body.record.id}/verify`, { as: alice });
  expect(verify.body.valid).toBe(true);
  expect((await api.call('GET', '/openapi.json')).status).toBe(200);
});
