/**
 * Webhooks end to end, with real receivers (HTTP servers in the test that verify every delivery
 * with the `standardwebhooks` package): a whole lifecycle's events arrive once per webhook-id and
 * in causal order per intake; a receiver down for a while (500s, then timeouts) gets all of it
 * afterwards, still in order; a wrong secret fails verification; a rotation's overlap signs with
 * both secrets, and only the new one after; a subscriber on an address the worker does not allow
 * gets nothing.
 */
import { cloudEventSchema, type WebhookEventType } from '../domain/webhook-events';
import { startWebhookReceiver, type VerifiedEvent, type WebhookReceiver } from '../adapters/webhook-receiver';
import { newWebhookSecret } from '../adapters/webhook-secrets';
import { eventually, sleep } from './support/eventually';
import {
  BASE_URL,
  driveLifecycle,
  LIFECYCLE_EVENTS,
  startWebhookStack,
  type Lifecycle,
  type WebhookStack,
} from './support/webhooks';

let stack: WebhookStack;
const receivers: WebhookReceiver[] = [];
const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
  const r = await startWebhookReceiver(...args);
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  // The API may subscribe 127.0.0.3; the worker may not deliver there (the delivery-time check).
  stack = await startWebhookStack(
    { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,127.0.0.3' },
    { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
  );
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  await stack?.stop();
});

const ofIntake = (events: VerifiedEvent[], intakeId: string) => events.filter((e) => e.data.intakeId === intakeId);
const complete = (intakeIds: string[]) => (events: VerifiedEvent[]) =>
  intakeIds.every((id) => ofIntake(events, id).some((e) => e.type === 'signal.emitted'));

/** What every lifecycle must have delivered: its events in causal order, each id once, each event well formed. */
function expectLifecycleDelivered(events: VerifiedEvent[], run: Lifecycle): void {
  const mine = ofIntake(events, run.intakeId);
  expect(mine.map((e) => e.type)).toEqual(LIFECYCLE_EVENTS);
  expect(new Set(mine.map((e) => e.webhookId)).size).toBe(mine.length);
  // The CloudEvents sequence extension orders them too.
  expect(mine.map((e) => e.sequence)).toEqual([...mine.map((e) => e.sequence)].sort());
  for (const e of mine) {
    const parsed = cloudEventSchema(e.type as WebhookEventType).safeParse({
      specversion: '1.0',
      id: e.webhookId,
      source: e.source,
      type: e.type,
      time: e.time,
      subject: e.subject,
      datacontenttype: 'application/json',
      sequence: e.sequence,
      data: e.data,
    });
    expect({ type: e.type, issues: parsed.error?.issues ?? [] }).toEqual({ type: e.type, issues: [] });
    expect(e.source).toBe(`${BASE_URL}/v1/intakes/${run.intakeId}`);
  }
  const byType = (t: string) => mine.find((e) => e.type === t)!.data;
  expect(byType('intake.submitted')).toMatchObject({
    requestId: run.requestId,
    taskId: run.taskId,
    audience: 'operator',
    link: `${BASE_URL}/v1/intakes/${run.intakeId}`,
  });
  expect(byType('task.escalated')).toMatchObject({ taskId: run.taskId, from: 'operator/0', to: 'admin/1' });
  expect(mine.filter((e) => e.type === 'task.decided').map((e) => e.data.decision)).toEqual(['approve', 'assign']);
  expect(byType('job.created')).toMatchObject({ jobId: run.jobId, link: `${BASE_URL}/v1/jobs/${run.jobId}` });
  expect(byType('job.claimed')).toMatchObject({ jobId: run.jobId, taskId: run.taskId });
  expect(byType('service_event.completed')).toMatchObject({
    serviceEventId: run.serviceEventId,
    jobId: run.jobId,
    outcome: 'completed',
    link: `${BASE_URL}/v1/service-events/${run.serviceEventId}`,
  });
  expect(byType('record.sealed')).toMatchObject({
    recordId: run.recordId,
    serviceEventId: run.serviceEventId,
    link: `${BASE_URL}/v1/records/${run.recordId}`,
  });
  expect(byType('signal.emitted')).toMatchObject({
    signalId: run.signalId,
    recordId: run.recordId,
    jobId: run.jobId,
    link: `${BASE_URL}/v1/signals/${run.signalId}`,
  });
}

test('every event of whole lifecycles arrives once per webhook-id, verified, in causal order per intake', async () => {
  const hooks = await receiver();
  const { id } = await stack.subscribe(hooks);
  const runs = await Promise.all([1, 2, 3].map(() => driveLifecycle(stack.api, stack.admin)));
  await hooks.waitFor(complete(runs.map((r) => r.intakeId)));
  await sleep(1_500); // nothing arrives twice later either
  for (const run of runs) expectLifecycleDelivered(hooks.events, run);
  const ids = hooks.events.filter((e) => runs.some((r) => r.intakeId === e.data.intakeId)).map((e) => e.webhookId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(hooks.rejected).toEqual([]);

  // The delivery log agrees: each delivered once, on the first attempt.
  const log = (await stack.deliveries(id)).filter((d) => runs.some((r) => r.intakeId === d.intakeId));
  expect(log).toHaveLength(runs.length * LIFECYCLE_EVENTS.length);
  expect(new Set(log.map((d) => d.status))).toEqual(new Set(['succeeded']));
  expect(log.every((d) => d.attempts === 1 && d.lastStatus === 204 && d.nextAttemptAt === null)).toBe(true);
  expect(new Set(log.map((d) => d.webhookId))).toEqual(new Set(ids));
}, 120_000);

test('a receiver down for a while (500s, then timeouts) gets everything afterwards, in order', async () => {
  let mode: 'error' | 'hang' | 'up' = 'error';
  const hooks = await receiver({ behaviour: () => (mode === 'error' ? 500 : mode === 'hang' ? 'hang' : 'accept') });
  const { id } = await stack.subscribe(hooks);
  const runs = await Promise.all([1, 2].map(() => driveLifecycle(stack.api, stack.admin)));
  // Each intake's head event is being retried now; the rest wait behind it.
  await eventually('failed attempts with 500', async () => {
    const log = await stack.deliveries(id);
    return log.some((d) => d.lastStatus === 500 && d.lastOutcome === 'http_error' && d.attempts >= 2)
      ? true
      : undefined;
  });
  mode = 'hang';
  await eventually('a timed-out attempt', async () => {
    const log = await stack.deliveries(id);
    return log.some((d) => d.lastOutcome === 'timeout' && d.lastError?.includes('no answer within')) ? true : undefined;
  });
  const refusedWhileDown = hooks.refused;
  expect(refusedWhileDown).toBeGreaterThan(2);
  expect(hooks.events).toEqual([]);
  // Every event is waiting (the dispatcher may still be reading the last rows: other transactions on the server hold it back).
  const pendingWhileDown = await eventually('every event of both intakes in the log', async () => {
    const log = await stack.deliveries(id);
    return log.length === runs.length * LIFECYCLE_EVENTS.length ? log : undefined;
  });
  expect(pendingWhileDown.every((d) => d.status === 'pending')).toBe(true);
  expect(pendingWhileDown.some((d) => d.nextAttemptAt !== null)).toBe(true);

  mode = 'up';
  await hooks.waitFor(complete(runs.map((r) => r.intakeId)), 60_000);
  await sleep(1_500);
  for (const run of runs) expectLifecycleDelivered(hooks.events, run);
  const log = await stack.deliveries(id);
  expect(new Set(log.map((d) => d.status))).toEqual(new Set(['succeeded']));
  expect(log.some((d) => d.attempts > 2)).toBe(true);
}, 120_000);

test('a wrong secret fails verification; the delivery is retried until the receiver trusts the right one', async () => {
  const hooks = await receiver();
  const { id, secret } = await stack.subscribe(hooks, ['intake.submitted']);
  hooks.setSecrets([newWebhookSecret()]);
  const submitted = await stack.submit();
  await eventually('a rejected delivery', async () => (hooks.rejected.length > 0 ? true : undefined));
  expect(hooks.events).toEqual([]);
  expect(hooks.rejected[0]!.reason).toMatch(/no trusted secret verifies/);
  await eventually('the 401 in the delivery log', async () => {
    const [d] = await stack.deliveries(id);
    return d?.lastStatus === 401 && d.status === 'pending' ? true : undefined;
  });
  hooks.setSecrets([secret]);
  const [delivered] = await hooks.waitFor((events) => events.length === 1);
  expect(delivered).toMatchObject({ type: 'intake.submitted', data: { intakeId: submitted.intakeId } });
  // The same webhook-id as the attempts that failed verification.
  expect(delivered!.webhookId).toBe(hooks.rejected[0]!.webhookId);
}, 60_000);

test('rotation: during the overlap both secrets verify each delivery; after it only the new one', async () => {
  const hooks = await receiver();
  const { id, secret: oldSecret } = await stack.subscribe(hooks, ['intake.submitted']);
  const webhook = { params: { path: { id } } };
  const { data: rotated, response } = await stack.asAdmin.POST('/v1/webhooks/{id}/rotate-secret', {
    ...webhook,
    body: { overlap: '4s' },
  });
  expect(response.status).toBe(200);
  expect(rotated!.secret).toMatch(/^whsec_/);
  expect(rotated!.secret).not.toBe(oldSecret);
  const newSecret: string = rotated!.secret;
  hooks.setSecrets([oldSecret, newSecret]);
  expect((await stack.asAdmin.GET('/v1/webhooks/{id}', webhook)).data!.previousSecretExpiresAt).toBe(
    rotated!.previousSecretExpiresAt,
  );

  await stack.submit();
  const [during] = await hooks.waitFor((events) => events.length === 1);
  expect(during!.verifiedBy).toEqual([0, 1]);

  await sleep(Math.max(0, Date.parse(rotated!.previousSecretExpiresAt) - Date.now()) + 200);
  expect((await stack.asAdmin.GET('/v1/webhooks/{id}', webhook)).data!.previousSecretExpiresAt).toBe(null);
  await stack.submit();
  const events = await hooks.waitFor((all) => all.length === 2);
  expect(events[1]!.verifiedBy).toEqual([1]);
}, 60_000);

test('a subscriber the worker may not deliver to (a loopback address it does not allow) gets nothing: failed, refused', async () => {
  const hooks = await receiver({ host: '127.0.0.3' });
  const { id } = await stack.subscribe(hooks, ['intake.submitted']);
  await stack.submit();
  const [failed] = await eventually('the refused delivery', async () => {
    const log = await stack.deliveries(id);
    return log[0]?.status === 'failed' ? log : undefined;
  });
  expect(failed).toMatchObject({ attempts: 1, lastStatus: null, lastOutcome: 'address_refused', nextAttemptAt: null });
  expect(failed!.lastError).toMatch(/^refused: 127\.0\.0\.3 is a loopback address/);
  expect(hooks.events).toEqual([]);
  expect(hooks.refused + hooks.rejected.length).toBe(0);
}, 60_000);
