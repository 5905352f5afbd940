/**
 * A receiver down past the retry budget (3 s here, hours by default): the delivery is marked
 * failed in the delivery log (with the intake's later events, unattempted, so that none arrives
 * before the one it follows), and a redelivery then succeeds with the same webhook-id. A delivery
 * still pending cannot be redelivered (409).
 */
import { startWebhookReceiver, type WebhookReceiver } from '../lib/webhook-receiver';
import { eventually } from './support/eventually';
import { startWebhookStack, type DeliveryItem, type WebhookStack } from './support/webhooks';

let stack: WebhookStack;
let hooks: WebhookReceiver;
let down = true;
beforeAll(async () => {
  stack = await startWebhookStack({
    WEBHOOK_RETRY_FOR: '3s',
    WEBHOOK_RETRY_INITIAL: '200ms',
    WEBHOOK_RETRY_MAX_INTERVAL: '500ms',
  });
  hooks = await startWebhookReceiver({ behaviour: () => (down ? 503 : 'accept') });
});
afterAll(async () => {
  await hooks?.stop();
  await stack?.stop();
});

const redeliver = (id: string, deliveryId: string) =>
  stack.asAdmin.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id, deliveryId } } });

test('down past the retry budget: failed and visible; redelivery then succeeds with the same webhook-id', async () => {
  const { id } = await stack.subscribe(hooks, ['intake.submitted', 'task.decided']);
  const { intakeId, taskId } = await stack.submit();
  await stack.asAdmin.POST('/v1/tasks/{id}/approve', { params: { path: { id: taskId } }, body: {} });

  const failed = await eventually(
    'both deliveries failed',
    async () => {
      const log = (await stack.deliveries(id)).filter((d) => d.intakeId === intakeId);
      return log.length === 2 && log.every((d) => d.status === 'failed') ? log : undefined;
    },
    30_000,
  );
  const byType = (log: DeliveryItem[], type: string) => log.find((d) => d.eventType === type)!;
  const head = byType(failed, 'intake.submitted');
  expect(head.attempts).toBeGreaterThanOrEqual(3);
  expect(head).toMatchObject({
    lastStatus: 503,
    lastError: 'HTTP 503: not now',
    nextAttemptAt: null,
    deliveredAt: null,
  });
  // The approval was never sent ahead of the submission it follows.
  const behind = byType(failed, 'task.decided');
  expect(behind).toMatchObject({ attempts: 0, nextAttemptAt: null });
  expect(behind.lastError).toMatch(/^not attempted: the intake's earlier event .* could not be delivered$/);
  const onlyFailed = await stack.asAdmin.GET('/v1/webhooks/{id}/deliveries', {
    params: { path: { id }, query: { status: 'failed' } },
  });
  expect(onlyFailed.data!.items).toHaveLength(2);
  expect(hooks.events).toEqual([]);

  down = false;
  const redelivered = await redeliver(id, head.id);
  expect(redelivered.response.status).toBe(202);
  expect(redelivered.data).toMatchObject({ id: head.id, status: 'pending', webhookId: head.webhookId });
  const [event] = await hooks.waitFor((events) => events.length === 1);
  expect(event).toMatchObject({ webhookId: head.webhookId, type: 'intake.submitted', data: { intakeId } });
  const after = await eventually('the succeeded delivery', async () => {
    const log = await stack.deliveries(id);
    const d = log.find((x) => x.id === head.id)!;
    return d.status === 'succeeded' ? d : undefined;
  });
  expect(after).toMatchObject({ lastStatus: 204, lastError: null, nextAttemptAt: null });
  expect(after.attempts).toBe(head.attempts + 1);
  expect(after.deliveredAt).not.toBeNull();

  // The one given up behind it, redelivered too, arrives after it.
  expect((await redeliver(id, behind.id)).response.status).toBe(202);
  await hooks.waitFor((events) => events.some((e) => e.type === 'task.decided'));
  expect(hooks.events.map((e) => [e.type, e.webhookId])).toEqual([
    ['intake.submitted', head.webhookId],
    ['task.decided', behind.webhookId],
  ]);
}, 90_000);

test('redelivering a pending delivery is a 409', async () => {
  down = true;
  const { id } = await stack.subscribe(hooks, ['intake.submitted']);
  await stack.submit();
  const [pending] = await eventually('a pending delivery', async () => {
    const log = await stack.deliveries(id);
    return log[0]?.status === 'pending' ? log : undefined;
  });
  const res = await redeliver(id, pending!.id);
  expect(res.response.status).toBe(409);
  expect(res.error).toMatchObject({ detail: expect.stringMatching(/the delivery is pending/) });
});
