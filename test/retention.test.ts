/**
 * Retention: with PERSONAL_DATA_RETENTION set, a Temporal Schedule erases the personal data of
 * Actors whose intakes all ended longer ago than that, and leaves those with work in flight alone.
 * On a database of its own: a run erases whatever has expired in it.
 */
import { loadConfig } from '../config';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID, retentionNow } from '../orchestration/retention-schedule';
import { startTestApiOnOwnDatabase, type TestApi } from './support/api';
import { admin, requester } from './support/fixtures';
import { personalBody, personalIn, personalLifecycle } from './support/personal-probe';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApiOnOwnDatabase();
});
afterAll(() => api?.stop());

test('a run erases Actors whose intakes all ended before the retention, and no one with work in flight', async () => {
  const boss = admin();
  const ended = await personalLifecycle(api, boss);
  const waiting = requester();
  const open = await api.call('POST', '/v1/requests', { as: waiting, body: personalBody() });
  expect(open.status).toBe(201);

  // A day's retention: nothing has expired yet.
  expect(await retentionNow(api.client, api.config, 86_400_000)).toMatchObject({ actorsErased: 0 });
  // One millisecond: the ended lifecycle's Actor has expired; the one still waiting for governance has not.
  expect(await retentionNow(api.client, api.config, 1)).toMatchObject({ actorsErased: 1 });

  const erasedChain = await api.call('GET', `/v1/intakes/${ended.intakeId}`, { as: boss });
  expect(erasedChain.body.erasedAt).not.toBeNull();
  expect(personalIn(JSON.stringify(erasedChain.body))).toEqual([]);
  expect(erasedChain.body.history.at(-1)).toMatchObject({
    action: 'actor.erased',
    by: { sub: 'system', role: 'system' },
    details: { reason: 'retention_expired' },
  });
  const openChain = await api.call('GET', `/v1/intakes/${open.body.intakeId}`, { as: boss });
  expect(openChain.body.erasedAt).toBeNull();
  expect(openChain.body.request.actor.name).toBe('Zyxwanda Quormsby-Pellatt');
  // The sealed Record still verifies.
  expect((await api.call('GET', `/v1/records/${ended.recordId}/verify`, { as: boss })).body.valid).toBe(true);
});

test('the Schedule exists while retention is configured, and goes when it is turned off', async () => {
  const scheduleId = `${RETENTION_SCHEDULE_ID}-test`;
  const on = loadConfig({ ...process.env, PERSONAL_DATA_RETENTION: 'P30D', PERSONAL_DATA_RETENTION_INTERVAL: '1h' });
  const handle = await ensureRetentionSchedule(api.client, on, { scheduleId });
  const described = await handle!.describe();
  expect(described.action).toMatchObject({
    workflowType: 'retentionSweepWorkflow',
    args: [{ retentionMs: 30 * 86_400_000, batchSize: 100 }],
  });
  expect(described.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
  const off = loadConfig({ ...process.env, PERSONAL_DATA_RETENTION: '' });
  expect(await ensureRetentionSchedule(api.client, off, { scheduleId })).toBeNull();
  await expect(api.client.schedule.getHandle(scheduleId).describe()).rejects.toThrow(/not found/i);
});
