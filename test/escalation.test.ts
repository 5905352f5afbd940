/**
 * Scheduled escalation of stale Tasks, on the real server and a database of this file's own
 * (a sweep sees every stale Task in its database, and other files' Tasks must stay theirs).
 * Thresholds are seconds; each sweep's policy is passed explicitly where a test needs its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ESCALATION_SCHEDULE_ID,
  ensureEscalationSchedule,
  sweepInput,
  sweepNow,
} from '../orchestration/escalation-schedule';
import { findStaleTasks, type StaleCursor } from '../db/stale-tasks';
import type { EscalationPolicy } from '../domain/intake-machine';
import { startTestApi, type TestApi } from './support/api';
import { freshDatabase } from './support/database';
import { eventually, sleep } from './support/eventually';
import { worldAt, type World } from './support/http-world';

const THRESHOLD_MS = 1_000;
let api: TestApi;
let database: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  database = await freshDatabase();
  api = await startTestApi({
    DATABASE_URL: database.url,
    ESCALATION_OPERATOR_THRESHOLD: `${THRESHOLD_MS}ms`,
    ESCALATION_ADMIN_THRESHOLD: `${THRESHOLD_MS}ms`,
    ESCALATION_MAX_LEVEL: '2',
    ESCALATION_BATCH_SIZE: '2',
  });
});
afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

/** The configured sweep, with some of its policy changed. */
const withPolicy = (overrides: Partial<EscalationPolicy>) => {
  const input = sweepInput(api.config);
  return { ...input, policy: { ...input.policy, ...overrides } };
};

const taskPath = (w: World) => ({ params: { path: { id: w.taskId } } });
const taskOf = async (w: World) => (await api.as(w.admin).GET('/v1/tasks/{id}', taskPath(w))).data;
const escalationRows = (w: World) => api.db('task_escalations').where({ task_id: w.taskId }).orderBy('to_level');

/** Waits until the Task's read side shows the level (the workflow persists it after the signal). */
const levelReached = (w: World, level: number) =>
  eventually(`task ${w.taskId} at escalation level ${level}`, async () => {
    const task = await taskOf(w);
    return task?.escalationLevel === level ? task : undefined;
  });

/** Lets every Task created so far go stale. */
const beyondThreshold = () => sleep(THRESHOLD_MS + 200);

test('an operator-audience Task left alone moves to the admin team: its operator is refused, an admin decides, the Record keeps the escalation', async () => {
  const w = await worldAt(api, 'pending', 'operator');
  await beyondThreshold();
  const summary = await sweepNow(api.client, api.config);
  expect(summary.nudged).toBeGreaterThanOrEqual(1);

  const task = await levelReached(w, 1);
  expect(task).toMatchObject({ audience: 'admin', escalationLevel: 1, status: 'pending' });
  expect(task.escalations).toEqual([
    expect.objectContaining({
      fromAudience: 'operator',
      toAudience: 'admin',
      fromLevel: 0,
      toLevel: 1,
      reason: expect.stringContaining('no governance decision for 1s'),
    }),
  ]);

  // The operator's own list no longer holds it; the admin team's does.
  const pending = (as: World['governor'], audience: 'operator' | 'admin') =>
    api.as(as).GET('/v1/tasks', { params: { query: { audience, status: 'pending', limit: 100 } } });
  const operatorList = await pending(w.governor, 'operator');
  expect(operatorList.data!.items.map((t) => t.id)).not.toContain(w.taskId);
  const adminList = await pending(w.admin, 'admin');
  expect(adminList.data!.items.map((t) => t.id)).toContain(w.taskId);

  const escalated = taskPath(w);
  const refused = await api.as(w.governor).POST('/v1/tasks/{id}/approve', { ...escalated, body: {} });
  expect(refused.response.status).toBe(403);
  expect(refused.error!.detail).toMatch(/escalated/);
  expect((await taskOf(w))?.status).toBe('pending');

  const boss = api.as(w.admin);
  const staff = api.as(w.staff);
  expect((await boss.POST('/v1/tasks/{id}/approve', { ...escalated, body: {} })).response.status).toBe(200);
  expect(
    (await boss.POST('/v1/tasks/{id}/assign', { ...escalated, body: { operatorId: w.operatorId } })).response.status,
  ).toBe(200);
  const job = await boss.POST('/v1/tasks/{id}/job', { ...escalated, body: {} });
  expect(job.response.status).toBe(201);
  const jobPath = { params: { path: { id: job.data!.id } } };
  expect((await staff.POST('/v1/jobs/{id}/claim', { ...jobPath, body: {} })).response.status).toBe(200);
  const started = await staff.POST('/v1/jobs/{id}/start', { ...jobPath, body: {} });
  expect(
    (
      await staff.POST('/v1/service-events/{id}/complete', {
        params: { path: { id: started.data!.serviceEventId } },
        body: { outcome: 'completed', summary: 'done' },
      })
    ).response.status,
  ).toBe(202);
  const result = await api.intakes.handle(w.intakeId).result();

  const record = await boss.GET('/v1/records/{id}', { params: { path: { id: result.recordId! } } });
  const governance = record.data!.record.governance as { kind: string }[];
  const escalate = governance.filter((g) => g.kind === 'escalate');
  expect(escalate).toEqual([
    expect.objectContaining({
      audience: 'operator',
      by: expect.objectContaining({ role: 'system' }),
      details: expect.objectContaining({ toAudience: 'admin', toLevel: 1 }),
    }),
  ]);
  const audit = await api.db('audit_log').where({ intake_id: w.intakeId, action: 'task.escalated' });
  expect(audit).toHaveLength(1);
});

test('an admin-audience Task climbs one level per threshold crossed and stops at the ceiling', async () => {
  const w = await worldAt(api, 'pending', 'admin');
  for (const level of [1, 2]) {
    await beyondThreshold();
    await sweepNow(api.client, api.config);
    await levelReached(w, level);
  }
  // At the ceiling (2) the Task is no longer a candidate, and a direct nudge changes nothing either.
  await beyondThreshold();
  const { policy } = sweepInput(api.config);
  const candidates = await findStaleTasks(api.db, {
    asOf: new Date().toISOString(),
    policy,
    after: null,
    limit: 1_000,
  });
  expect(candidates.items.map((t) => t.taskId)).not.toContain(w.taskId);
  await sweepNow(api.client, api.config);
  await api.intakes.escalate(w.intakeId, {
    expectedAudience: 'admin',
    expectedLevel: 2,
    maxLevel: 2,
    reason: 'forced nudge',
  });
  const state = await api.intakes.state(w.intakeId);
  expect(state.task).toMatchObject({ audience: 'admin', escalationLevel: 2 });
  expect((await escalationRows(w)).map((e) => [e.from_level, e.to_level])).toEqual([
    [0, 1],
    [1, 2],
  ]);
});

test('decided Tasks are never escalated, and a decision restarts the clock', async () => {
  const rejected = await worldAt(api, 'pending', 'admin');
  expect(
    (
      await api
        .as(rejected.admin)
        .POST('/v1/tasks/{id}/reject', { ...taskPath(rejected), body: { reason: 'out of area' } })
    ).response.status,
  ).toBe(200);
  const withdrawn = await worldAt(api, 'pending', 'operator');
  expect(
    (
      await api
        .as(withdrawn.requester)
        .POST('/v1/intakes/{id}/withdraw', { params: { path: { id: withdrawn.intakeId } }, body: {} })
    ).response.status,
  ).toBe(200);
  const withJob = await worldAt(api, 'queued', 'operator');
  const executing = await worldAt(api, 'executing', 'admin');
  const approvedLate = await worldAt(api, 'pending', 'admin');

  await sleep(2_500);
  // Approved just now: stale before, fresh again after its decision.
  expect(
    (await api.as(approvedLate.admin).POST('/v1/tasks/{id}/approve', { ...taskPath(approvedLate), body: {} })).response
      .status,
  ).toBe(200);
  await eventually('the approval to reach the read side', async () =>
    (await taskOf(approvedLate))?.status === 'approved' ? true : undefined,
  );
  await sweepNow(api.client, api.config, withPolicy({ adminThresholdMs: 2_000, operatorThresholdMs: 2_000 }));
  // A nudge that reached any of them would be recorded by now: the escalated Task above shows how fast.
  await sleep(500);

  for (const w of [rejected, withdrawn, withJob, executing, approvedLate]) {
    expect(await escalationRows(w)).toEqual([]);
    expect((await api.intakes.state(w.intakeId)).task.escalations).toEqual([]);
    expect((await taskOf(w))?.escalationLevel).toBe(0);
  }
});

test('two sweeps in a row, and two at once, escalate once per threshold crossed', async () => {
  const w = await worldAt(api, 'pending', 'operator');
  await beyondThreshold();
  // The admin threshold is long here, so only the operator threshold can be crossed.
  const input = withPolicy({ adminThresholdMs: 60_000 });
  await Promise.all([sweepNow(api.client, api.config, input), sweepNow(api.client, api.config, input)]);
  await sweepNow(api.client, api.config, input);
  await levelReached(w, 1);
  await sweepNow(api.client, api.config, input);
  await sleep(500);
  expect(await escalationRows(w)).toHaveLength(1);
  expect((await api.intakes.state(w.intakeId)).task.escalations).toHaveLength(1);
});

test('the sweep pages through more stale Tasks than one page holds (page size 2)', async () => {
  const worlds = await Promise.all([1, 2, 3, 4, 5].map(() => worldAt(api, 'pending', 'admin')));
  await beyondThreshold();
  const summary = await sweepNow(api.client, api.config, withPolicy({ adminThresholdMs: THRESHOLD_MS, maxLevel: 1 }));
  expect(summary.pages).toBeGreaterThanOrEqual(3);
  for (const w of worlds) await levelReached(w, 1);
});

test('a walk over Tasks sharing one microsecond clock visits each exactly once, page by page', async () => {
  const worlds = await Promise.all([1, 2, 3, 4, 5].map(() => worldAt(api, 'pending', 'admin')));
  const ids = worlds.map((w) => w.taskId);
  // Clocks written by Postgres itself carry microseconds, which a JavaScript Date cannot hold.
  await api.ownerDb.raw(`UPDATE tasks SET stale_since = '2026-01-01T00:00:00.123456Z' WHERE id = ANY(?)`, [ids]);
  const { policy } = sweepInput(api.config);
  const seen: string[] = [];
  let after: StaleCursor | null = null;
  let pages = 0;
  do {
    const page = await findStaleTasks(api.db, { asOf: new Date().toISOString(), policy, after, limit: 2 });
    seen.push(...page.items.map((t) => t.taskId));
    after = page.next;
    pages += 1;
  } while (after && pages < 5_000); // other test files share the database and add stale Tasks of their own
  const ours = seen.filter((id) => ids.includes(id));
  expect(ours.sort()).toEqual([...ids].sort());
  expect(new Set(seen).size).toBe(seen.length);
});

test('the Schedule exists once, runs the sweep on its interval and can be triggered', async () => {
  const scheduleId = `${ESCALATION_SCHEDULE_ID}-test-${Date.now()}`;
  await ensureEscalationSchedule(api.client, { ...api.config, ESCALATION_INTERVAL: 3_600_000 }, { scheduleId });
  const handle = await ensureEscalationSchedule(
    api.client,
    { ...api.config, ESCALATION_INTERVAL: 1_000 },
    { scheduleId },
  ); // converges
  try {
    const described = await handle.describe();
    expect(described.spec.intervals?.map((i) => Number(i.every))).toEqual([1_000]);
    expect(described.action).toMatchObject({
      workflowType: 'escalationSweepWorkflow',
      taskQueue: api.config.TEMPORAL_TASK_QUEUE,
      args: [sweepInput(api.config)],
    });

    const w = await worldAt(api, 'pending', 'operator');
    await beyondThreshold();
    await handle.trigger();
    await levelReached(w, 1);
    const runs = await eventually('the schedule to record its runs', async () => {
      const d = await handle.describe();
      return d.info.recentActions.length > 0 ? d.info.recentActions : undefined;
    });
    expect(runs[0]!.action.workflow.workflowId).toContain(`${scheduleId}-run`);
  } finally {
    await handle.delete();
  }
});

describe('OPERATIONS.md', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', 'OPERATIONS.md'), 'utf8');
  const marked = (name: string) => {
    const match = new RegExp(`<!-- query: ${name} -->\\s*\`\`\`text\\n([^\\n]+)\\n\`\`\``).exec(text);
    if (!match) throw new Error(`OPERATIONS.md has no query marked ${name}`);
    return match[1]!;
  };

  test('its escalated-intakes query, typed as written, lists an escalated intake and not a fresh one', async () => {
    const escalated = await worldAt(api, 'pending', 'operator');
    await beyondThreshold();
    const fresh = await worldAt(api, 'pending', 'operator');
    await sweepNow(api.client, api.config, withPolicy({ operatorThresholdMs: THRESHOLD_MS, adminThresholdMs: 60_000 }));
    await levelReached(escalated, 1);
    const query = marked('escalated');
    const ids = await eventually('visibility to index the escalation', async () => {
      const found: string[] = [];
      for await (const wf of api.client.workflow.list({ query })) found.push(wf.workflowId);
      return found.includes(`intake-${escalated.intakeId}`) ? found : undefined;
    });
    expect(ids).not.toContain(`intake-${fresh.intakeId}`);
  });

  test('every query it tells ops staff to type is accepted by the server', async () => {
    const blocks = [...text.matchAll(/```text\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').filter(Boolean));
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const query of blocks) {
      await expect(api.client.workflow.count(query)).resolves.toMatchObject({ count: expect.any(Number) });
    }
  });
});
