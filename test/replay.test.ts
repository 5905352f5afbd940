/**
 * Determinism guard: recorded workflow histories (test/histories/*.json: intake lifecycles,
 * an escalation sweep, the webhook workflows) are replayed against the current workflow code. A change that would make a running workflow take a
 * different path on replay fails here, before it can break workflows in production.
 *
 * Record fresh histories (after an intentional, versioned change) with `npm run record-histories`;
 * `RECORD_ONLY=name,name` records only those stories. They are stored decoded (the run's payload
 * key is a temporary one): the codec passes unencrypted payloads through, as it does for the
 * histories written before it. Replay runs with the product's data converter, the codec included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { ENCRYPTED_ENCODING } from '../adapters/payload-codec';
import { payloadCodec, temporalDataConverter } from '../adapters/temporal-connection';
import { sweepInput } from '../orchestration/escalation-schedule';
import { startWebhookReceiver } from '../adapters/webhook-receiver';
import { ESCALATION_SWEEP_WORKFLOW_TYPE, type escalationSweepWorkflow } from '../workflows/escalation';
import {
  approveUpdate,
  assignUpdate,
  claimUpdate,
  createJobUpdate,
  rejectUpdate,
  webhookDeliveryWorkflowId,
  withdrawUpdate,
} from '../workflows/messages';
import { cast, complete, execute, fullLifecycle, governToJob, submit } from './support/scenarios';
import { freshDatabase } from './support/database';
import { startTestStack, type TestStack } from './support/stack';
import { startWebhookStack } from './support/webhooks';
import { decodePayloadsInPlace, payloadsIn } from './support/payloads';

const HISTORIES = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';

function storedHistories() {
  return fs
    .readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))),
    }));
}

async function record(stack: TestStack): Promise<void> {
  const { intakes } = stack;
  const stories: Record<string, () => Promise<string>> = {
    'operator-completed': async () => (await fullLifecycle(intakes, 'operator', 'completed')).input.ids.intakeId,
    'admin-failed': async () => (await fullLifecycle(intakes, 'admin', 'failed')).input.ids.intakeId,
    'admin-completed': async () => (await fullLifecycle(intakes, 'admin', 'completed')).input.ids.intakeId,
    rejected: async () => {
      const c = cast('admin');
      const input = await submit(intakes, c, 'admin');
      await intakes.command(input.ids.intakeId, rejectUpdate, {
        principal: c.governor,
        reason: 'outside our service area',
      });
      await intakes.handle(input.ids.intakeId).result();
      return input.ids.intakeId;
    },
    withdrawn: async () => {
      const c = cast('operator');
      const input = await submit(intakes, c, 'operator');
      await intakes.command(input.ids.intakeId, withdrawUpdate, { principal: c.requester, reason: 'fixed it myself' });
      await intakes.handle(input.ids.intakeId).result();
      return input.ids.intakeId;
    },
    'escalated-then-completed': async () => {
      const c = cast('operator');
      const input = await submit(intakes, c, 'operator');
      const id = input.ids.intakeId;
      await intakes.escalate(id, {
        expectedAudience: 'operator',
        expectedLevel: 0,
        maxLevel: 3,
        reason: 'no decision for 4h',
      });
      // The same nudge again is ignored: the history keeps the repeat.
      await intakes.escalate(id, {
        expectedAudience: 'operator',
        expectedLevel: 0,
        maxLevel: 3,
        reason: 'no decision for 4h',
      });
      await waitFor(async () => (await intakes.state(id)).task.audience === 'admin');
      const adminCast = { ...c, governor: { sub: 'admin-escalations', role: 'admin' as const } };
      await governToJob(intakes, id, adminCast);
      await execute(intakes, id, adminCast);
      await complete(intakes, id, adminCast);
      return id;
    },
    // Commands that arrive together wait their turn in the workflow's lane: the history keeps their order.
    'governance-burst': async () => {
      const c = cast('admin');
      const input = await submit(intakes, c, 'admin');
      const id = input.ids.intakeId;
      const other = { ...c.governor, sub: `${c.governor.sub}-other` };
      await Promise.allSettled([
        intakes.command(id, approveUpdate, { principal: c.governor }),
        intakes.command(id, assignUpdate, { principal: other, operatorId: c.operatorId }),
        intakes.command(id, approveUpdate, { principal: other }),
        intakes.command(id, assignUpdate, { principal: c.governor, operatorId: `${c.operatorId}-b` }),
        intakes.command(id, rejectUpdate, { principal: other, reason: 'burst' }),
        intakes.command(id, createJobUpdate, { principal: c.governor }),
      ]);
      await intakes.handle(id).result();
      return id;
    },
    'racing-claims': async () => {
      const c = cast('operator');
      const input = await submit(intakes, c, 'operator');
      const id = input.ids.intakeId;
      await governToJob(intakes, id, c);
      const rival = { ...c.staff, sub: `${c.staff.sub}-rival` };
      await Promise.allSettled([
        intakes.command(id, claimUpdate, { principal: c.staff }),
        intakes.command(id, claimUpdate, { principal: rival }),
      ]);
      const winner = (await intakes.state(id)).job!.claimedBy === c.staff.sub ? c : { ...c, staff: rival };
      await execute(intakes, id, { ...winner, staff: winner.staff }).catch(() => undefined);
      return id;
    },
  };
  const only = process.env.RECORD_ONLY?.split(',');
  fs.mkdirSync(HISTORIES, { recursive: true });
  for (const [name, story] of Object.entries(stories)) {
    if (only && !only.includes(name)) continue;
    const intakeId = await story();
    save(name, await decoded(await intakes.handle(intakeId).fetchHistory()));
  }
  if (!only || only.includes('escalation-sweep')) save('escalation-sweep', await decoded(await recordSweep()));
  if (!only || only.includes('webhooks')) {
    const histories = await recordWebhooks();
    for (const [name, history] of Object.entries(histories)) save(name, await decoded(history));
  }
}

/** A history with its payloads decrypted by this run's codec. */
async function decoded(history: History): Promise<History> {
  await decodePayloadsInPlace(history, payloadCodec(loadConfig())!);
  return history;
}

function save(name: string, history: History): void {
  fs.writeFileSync(
    path.join(HISTORIES, `${name}.json`),
    `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`,
  );
}

/** A sweep over three stale Tasks in pages of two, on a database of its own. */
async function recordSweep() {
  const database = await freshDatabase();
  const stack = await startTestStack({
    DATABASE_URL: database.url,
    ESCALATION_ADMIN_THRESHOLD: '1ms',
    ESCALATION_BATCH_SIZE: '2',
  });
  try {
    for (let i = 0; i < 3; i += 1) await submit(stack.intakes, cast('admin'), 'admin');
    const handle = await stack.client.workflow.start<typeof escalationSweepWorkflow>(ESCALATION_SWEEP_WORKFLOW_TYPE, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `escalation-sweep-recording-${Date.now()}`,
      args: [sweepInput(stack.config)],
    });
    expect((await handle.result()).pages).toBe(2);
    return await handle.fetchHistory();
  } finally {
    await stack.stop();
    await database.drop();
  }
}

/**
 * The webhook workflows, on a database of their own: a delivery workflow that retries its
 * intake's first event against a receiver answering 503 until the budget is spent and gives up
 * (the event behind it with it); its next run, after both are redelivered, delivering both; and
 * the dispatcher's first passes.
 */
async function recordWebhooks(): Promise<Record<string, History>> {
  let down = true;
  const receiver = await startWebhookReceiver({ behaviour: () => (down ? 503 : 'accept') });
  const stack = await startWebhookStack(
    { WEBHOOK_RETRY_FOR: '2s', WEBHOOK_RETRY_INITIAL: '200ms' },
    {},
    { dispatchBudgetMs: 500 },
  );
  try {
    const { id } = await stack.subscribe(receiver, ['intake.submitted', 'task.decided']);
    const { intakeId, taskId } = await stack.submit();
    await stack.asAdmin.POST('/v1/tasks/{id}/approve', { params: { path: { id: taskId } }, body: {} });
    const workflowId = webhookDeliveryWorkflowId(id, intakeId);
    const gaveUp = await stack.api.client.workflow.getHandle(workflowId).result();
    expect(gaveUp).toEqual({ sent: 0, failed: 1 });
    const firstRun = await stack.api.client.workflow.getHandle(workflowId).describe();
    down = false;
    for (const d of await stack.deliveries(id))
      await stack.asAdmin.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
        params: { path: { id, deliveryId: d.id } },
      });
    await receiver.waitFor((events) => events.length === 2);
    await waitFor(
      async () => (await stack.api.client.workflow.getHandle(workflowId).describe()).runId !== firstRun.runId,
    );
    const secondRun = stack.api.client.workflow.getHandle(workflowId);
    await secondRun.result();
    return {
      'webhook-delivery-gave-up': await stack.api.client.workflow.getHandle(workflowId, firstRun.runId).fetchHistory(),
      'webhook-delivery-redelivered': await secondRun.fetchHistory(),
      'webhook-dispatcher': await stack.api.client.workflow.getHandle(stack.dispatcherId).fetchHistory(),
    };
  } finally {
    await stack.stop();
    await receiver.stop();
  }
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

if (recording) {
  test('record lifecycle histories', async () => {
    const stack = await startTestStack();
    try {
      await record(stack);
    } finally {
      await stack.stop();
    }
    expect(storedHistories().length).toBeGreaterThanOrEqual(9);
  }, 120_000);
}

test('recorded histories replay against the current workflow code', async () => {
  const histories = storedHistories();
  expect(histories.map((h) => h.file)).toEqual(
    expect.arrayContaining([
      'operator-completed.json',
      'admin-failed.json',
      'rejected.json',
      'withdrawn.json',
      'escalated-then-completed.json',
      'racing-claims.json',
      'admin-completed.json',
      'governance-burst.json',
      'escalation-sweep.json',
      'webhook-delivery-gave-up.json',
      'webhook-delivery-redelivered.json',
      'webhook-dispatcher.json',
    ]),
  );
  const { failures, replayed } = await replay(histories, temporalDataConverter(loadConfig()));
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
}, 120_000);

async function replay(
  histories: Array<{ file: string; history: History }>,
  dataConverter: ReturnType<typeof temporalDataConverter>,
): Promise<{ failures: string[]; replayed: number }> {
  const results = Worker.runReplayHistories(
    { workflowBundle: { codePath: process.env.QTM_TEST_WORKFLOW_BUNDLE! }, dataConverter },
    histories.map(({ file, history }) => ({ workflowId: file, history })),
  );
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of results) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return { failures, replayed };
}

test('a history written through the payload codec replays with the data converter, and not without it', async () => {
  const stack = await startTestStack();
  try {
    const { input } = await fullLifecycle(stack.intakes, 'operator', 'completed');
    const history = await stack.intakes.handle(input.ids.intakeId).fetchHistory();
    const encodings = new Set(
      payloadsIn(history)
        .filter((p) => !p.path.includes('searchAttributes') && !p.path.includes('header'))
        .map((p) => p.metadata.encoding),
    );
    expect([...encodings]).toEqual([ENCRYPTED_ENCODING]);
    const recorded = [{ file: 'encrypted-operator-completed', history }];
    expect(await replay(recorded, temporalDataConverter(stack.config))).toEqual({ failures: [], replayed: 1 });
    const without = await replay(recorded, {});
    expect(without.failures).toHaveLength(1);
  } finally {
    await stack.stop();
  }
}, 120_000);
