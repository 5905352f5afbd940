/**
 * One truth under bursts: commands fired 16–20 at once at one Intake, as users cause them, over
 * many rounds. After each burst three things must agree, checked through the reconciler's own
 * comparison: the answers (a 2xx only for an Update the workflow's history completed with a
 * value), every Postgres row of the Intake, and the workflow's state. Task bursts must also be
 * linearizable against the Task's state machine, and sealed Records must hold exactly the
 * workflow's accepted decisions, claim, stages and evidence, in its order.
 */
import { sealedForm } from '../trust/disclosure';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Connection } from '@temporalio/client';
import { updateIdFor } from '../api/deps';
import { awaitEnd } from '../client/lifecycle';
import type { Principal } from '../domain/schemas';
import { acceptedUpdates, createReconciler, type Reconciler } from '../orchestration/reconcile';
import { NodeService } from '../stack/processes';
import { isPolling } from '../stack/worker-ready';
import { startTestApi, type TestApi } from './support/api';
import { admin } from './support/fixtures';
import { worldAt, type World } from './support/http-world';
import { checkLinearizable, type Operation } from './support/linearizability';
import { taskModel, type TaskAnswer, type TaskCommand, type TaskModelState } from './support/task-model';
import { registerTestOperators } from './support/operators';

jest.setTimeout(600_000);

interface Fired {
  update: string;
  resourceId: string;
  as: Principal;
  key: string;
  status: number;
  body: Record<string, unknown>;
  call: number;
  ret: number;
}

interface Shot {
  update: string;
  method: 'POST';
  path: string;
  resourceId: string;
  as: Principal;
  body?: unknown;
}

/** Fires every shot at once, each with its own Idempotency-Key, and records when and how it was answered. */
async function burst(api: TestApi, shots: Shot[]): Promise<Fired[]> {
  const tokens = await Promise.all(shots.map((s) => api.token(s.as)));
  return Promise.all(
    shots.map(async (s, i) => {
      const key = randomUUID();
      const call = performance.now();
      const res = await fetch(`${api.url}${s.path}`, {
        method: s.method,
        headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(s.body ?? {}),
      });
      const body = (await res.json()) as Record<string, unknown>;
      return {
        update: s.update,
        resourceId: s.resourceId,
        as: s.as,
        key,
        status: res.status,
        body,
        call,
        ret: performance.now(),
      };
    }),
  );
}

const taskShot = (w: World, command: TaskCommand, as: Principal): Shot => {
  const route = { approve: 'approve', reject: 'reject', assign: 'assign', createJob: 'job' }[command.kind];
  const body =
    command.kind === 'reject'
      ? { reason: 'burst' }
      : command.kind === 'assign'
        ? { operatorId: command.operatorId }
        : {};
  return {
    update: command.kind,
    method: 'POST',
    path: `/v1/tasks/${w.taskId}/${route}`,
    resourceId: w.taskId,
    as,
    body,
  };
};

/** No answer is a 500; a 503 (with Retry-After) is the only 5xx, and says nothing about the outcome. */
function expectNoServerErrors(fired: Fired[]): void {
  const bad = fired
    .filter((f) => f.status >= 500 && f.status !== 503)
    .map((f) => `${f.update} ${f.status} ${JSON.stringify(f.body)}`);
  expect(bad).toEqual([]);
}

/** A 2xx answer exactly for the commands the workflow's history completed with a value. */
async function expectAnswersAreTheWorkflows(api: TestApi, intakeId: string, fired: Fired[]): Promise<void> {
  const accepted = await acceptedUpdates(api.intakes.handle(intakeId));
  const wrong: string[] = [];
  for (const f of fired) {
    if (f.status === 503) continue;
    const outcome = accepted.get(updateIdFor(f.update, f.resourceId, f.as, f.key))?.completed ?? null;
    if (f.status < 300 !== (outcome === 'value'))
      wrong.push(`${f.update} answered ${f.status}, history says ${outcome ?? 'not accepted'}`);
  }
  expect(wrong).toEqual([]);
}

async function expectNoDifferences(reconciler: Reconciler, intakeId: string): Promise<void> {
  const report = await reconciler.intake(intakeId);
  expect(report.differences).toEqual([]);
  expect(report.compared).toBe(true);
}

const taskAnswer = (f: Fired): TaskAnswer | null =>
  f.status === 409
    ? 'refused'
    : f.status === 503
      ? null
      : f.update === 'createJob'
        ? { status: null, assignee: f.body.operatorId as string }
        : { status: f.body.status as string, assignee: (f.body.assigneeOperatorId as string | null) ?? null };

async function expectLinearizable(
  api: TestApi,
  w: World,
  commands: TaskCommand[],
  fired: Fired[],
  before: TaskModelState = taskModel.initial,
): Promise<void> {
  const operations: Array<Operation<TaskCommand, TaskAnswer>> = fired.map((f, i) => ({
    input: commands[i]!,
    call: f.call,
    ret: f.ret,
    answer: taskAnswer(f),
  }));
  const state = await api.intakes.state(w.intakeId);
  const final = { status: state.task.status, assignee: state.task.assigneeOperatorId };
  const verdict = checkLinearizable(
    { ...taskModel, initial: before },
    operations,
    (s) => s.status === final.status && s.assignee === final.assignee,
  );
  if (!verdict.linearizable) {
    const lines = fired.map(
      (f, i) =>
        `${commands[i]!.kind} ${JSON.stringify(commands[i])} [${f.call.toFixed(0)}, ${f.ret.toFixed(0)}] → ${f.status} ${JSON.stringify(taskAnswer(f))}`,
    );
    throw new Error(`not linearizable; final ${JSON.stringify(final)}:\n${lines.join('\n')}`);
  }
}

/** Waits until the workflow has nothing in flight (so every accepted change has its rows). */
async function settled(api: TestApi, intakeId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { raw } = await api.intakes.handle(intakeId).describe();
    if (!raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0) return;
    if (Date.now() > deadline) throw new Error(`intake ${intakeId} did not settle`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The operators a burst assigns to: registered first, as only known operators may be assigned. */
const assignees = (commands: TaskCommand[]) => commands.flatMap((c) => (c.kind === 'assign' ? [c.operatorId] : []));

const governors = (w: World, n: number) => [w.admin, ...Array.from({ length: n - 1 }, () => admin())];

describe('with the in-process worker', () => {
  let api: TestApi;
  let reconciler: Reconciler;
  beforeAll(async () => {
    api = await startTestApi();
    reconciler = createReconciler({ db: api.db, client: api.client, intakes: api.intakes }, { settleMs: 30_000 });
  });
  afterAll(() => api?.stop());

  test('bursts of 20 mixed approve and reject, over 20 rounds: answers, rows and workflow agree, linearizably', async () => {
    for (let round = 0; round < 20; round += 1) {
      const w = await worldAt(api, 'pending');
      const people = governors(w, 20);
      const commands: TaskCommand[] = people.map((_, i) => (i % 2 === 0 ? { kind: 'approve' } : { kind: 'reject' }));
      const fired = await burst(
        api,
        commands.map((c, i) => taskShot(w, c, people[i]!)),
      );
      expectNoServerErrors(fired);
      await settled(api, w.intakeId);
      expect(fired.filter((f) => f.update === 'approve' && f.status === 200).length).toBeLessThanOrEqual(1);
      expect(fired.filter((f) => f.update === 'reject' && f.status === 200)).toHaveLength(1);
      await expectAnswersAreTheWorkflows(api, w.intakeId, fired);
      await expectNoDifferences(reconciler, w.intakeId);
      await expectLinearizable(api, w, commands, fired);
    }
  });

  test('bursts of 20 mixed approve, assign, create-job and reject, over 10 rounds, are linearizable', async () => {
    for (let round = 0; round < 10; round += 1) {
      const w = await worldAt(api, 'pending');
      const people = governors(w, 20);
      const kinds = [
        'approve',
        'assign',
        'assign',
        'createJob',
        'approve',
        'assign',
        'createJob',
        'assign',
        'createJob',
        'reject',
      ] as const;
      const commands: TaskCommand[] = people.map((_, i) => {
        const kind = kinds[(i + round) % kinds.length]!;
        return kind === 'assign' ? { kind, operatorId: `op-${round}-${i}` } : { kind };
      });
      await registerTestOperators(api, assignees(commands));
      const fired = await burst(
        api,
        commands.map((c, i) => taskShot(w, c, people[i]!)),
      );
      expectNoServerErrors(fired);
      await settled(api, w.intakeId);
      await expectAnswersAreTheWorkflows(api, w.intakeId, fired);
      await expectNoDifferences(reconciler, w.intakeId);
      await expectLinearizable(api, w, commands, fired);
    }
  });

  test('16 re-assignments at once, over 5 rounds: each answer shows its own assignee, decisions in the workflow order', async () => {
    for (let round = 0; round < 5; round += 1) {
      const w = await worldAt(api, 'approved');
      const people = governors(w, 16);
      const commands: TaskCommand[] = people.map((_, i) => ({ kind: 'assign', operatorId: `op-${round}-${i}` }));
      await registerTestOperators(api, assignees(commands));
      const fired = await burst(
        api,
        commands.map((c, i) => taskShot(w, c, people[i]!)),
      );
      expect(fired.map((f) => f.status)).toEqual(fired.map(() => 200));
      fired.forEach((f, i) => expect(f.body.assigneeOperatorId).toBe(`op-${round}-${i}`));
      await settled(api, w.intakeId);
      const state = await api.intakes.state(w.intakeId);
      const rows = await api
        .db('task_decisions')
        .where({ task_id: w.taskId })
        .orderBy('intake_version')
        .select('id', 'kind');
      expect(rows.map((r) => r.id)).toEqual(state.task.decisions.map((d) => d.id));
      expect(rows.filter((r) => r.kind === 'assign')).toHaveLength(16);
      expect((await api.db('tasks').where({ id: w.taskId }).first()).assignee_operator_id).toBe(
        state.task.assigneeOperatorId,
      );
      await expectAnswersAreTheWorkflows(api, w.intakeId, fired);
      await expectNoDifferences(reconciler, w.intakeId);
      await expectLinearizable(api, w, commands, fired, { status: 'approved', assignee: null });
    }
  });

  test('20 evidence notes at once on one open ServiceEvent, over 5 rounds: every one 201, once, in the sealed Record', async () => {
    for (let round = 0; round < 5; round += 1) {
      const w = await worldAt(api, 'executing');
      const shots: Shot[] = Array.from({ length: 20 }, (_, i) => ({
        update: 'addEvidence',
        method: 'POST',
        path: `/v1/service-events/${w.serviceEventId}/evidence`,
        resourceId: w.serviceEventId!,
        // The claimant's (only the one who claimed the Job adds evidence), from 20 requests at once.
        as: w.staff,
        body: { kind: 'note', description: `note ${round}.${i}` },
      }));
      const fired = await burst(api, shots);
      expect(fired.map((f) => f.status)).toEqual(fired.map(() => 201));
      const ids = fired.map((f) => f.body.evidenceId as string);
      expect(new Set(ids).size).toBe(20);
      expect(new Set(fired.map((f) => f.body.seq)).size).toBe(20);
      await settled(api, w.intakeId);
      await expectAnswersAreTheWorkflows(api, w.intakeId, fired);
      await expectNoDifferences(reconciler, w.intakeId);
      const done = await api.call('POST', `/v1/service-events/${w.serviceEventId}/complete`, {
        as: w.staff,
        body: { outcome: 'completed', summary: 'burst' },
      });
      expect(done.status).toBe(202);
      // Sealed within a minute, or the seal refused rows that differ from what the workflow accepted.
      await awaitEnd(api.as(w.admin), w.intakeId, 60_000);
      const state = await api.intakes.state(w.intakeId);
      const record = await api.db('records').where({ intake_id: w.intakeId }).first('canonical');
      const sealed = JSON.parse(record.canonical.toString('utf8'));
      expect(sealed.execution.evidence.map((e: { id: string }) => e.id)).toEqual(
        state.serviceEvent!.evidence.map((e) => e.id),
      );
      expect(new Set(ids)).toEqual(new Set(state.serviceEvent!.evidence.map((e) => e.id)));
      await expectNoDifferences(reconciler, w.intakeId);
    }
  });

  test('Records sealed after bursts hold the workflow’s decisions, claim, stages and evidence, entry by entry', async () => {
    for (let round = 0; round < 6; round += 1) {
      const w = await worldAt(api, 'pending');
      const people = governors(w, 20);
      const commands: TaskCommand[] = people.map((_, i) =>
        i % 2 === 0 ? { kind: 'approve' } : { kind: 'assign', operatorId: w.operatorId },
      );
      const fired = await burst(
        api,
        commands.map((c, i) => taskShot(w, c, people[i]!)),
      );
      expectNoServerErrors(fired);
      const step = async (method: 'POST', p: string, as: Principal, body: unknown, status: number) => {
        const res = await api.call(method, p, { as, body });
        expect({ p, status: res.status }).toEqual({ p, status });
        return res.body;
      };
      await step('POST', `/v1/tasks/${w.taskId}/assign`, w.admin, { operatorId: w.operatorId }, 200);
      const job = await step('POST', `/v1/tasks/${w.taskId}/job`, w.admin, {}, 201);
      await step('POST', `/v1/jobs/${job.id}/claim`, w.staff, {}, 200);
      const se = await step('POST', `/v1/jobs/${job.id}/start`, w.staff, {}, 201);
      const notes = await burst(
        api,
        Array.from({ length: 6 }, (_, i): Shot => ({
          update: 'addEvidence',
          method: 'POST',
          path: `/v1/service-events/${se.serviceEventId}/evidence`,
          resourceId: se.serviceEventId,
          as: w.staff,
          body: { kind: 'measurement', value: i, unit: 'bar' },
        })),
      );
      expect(notes.map((n) => n.status)).toEqual(notes.map(() => 201));
      await step('POST', `/v1/service-events/${se.serviceEventId}/stage`, w.staff, { stage: 'on_site' }, 200);
      await step(
        'POST',
        `/v1/service-events/${se.serviceEventId}/complete`,
        w.staff,
        { outcome: 'completed', summary: 'sealed after a burst' },
        202,
      );
      // Sealed within a minute, or the seal refused rows that differ from what the workflow accepted.
      await awaitEnd(api.as(w.admin), w.intakeId, 60_000);

      const state = await api.intakes.state(w.intakeId);
      const row = await api.db('records').where({ intake_id: w.intakeId }).first('canonical');
      const sealed = JSON.parse(row.canonical.toString('utf8'));
      expect(
        sealed.governance.map((g: { kind: string; by: { sub: string }; at: string; details: unknown }) => ({
          kind: g.kind,
          by: g.by.sub,
          at: g.at,
          details: g.details,
        })),
      ).toEqual(state.task.decisions.map((d) => ({ kind: d.kind, by: d.by.sub, at: d.at, details: d.details })));
      expect(sealed.claim).toEqual({ by: state.job!.claimedBy, at: state.job!.claimedAt });
      expect(sealed.execution.stages).toEqual(state.serviceEvent!.stageHistory);
      // The sealed form of each entry: its personal values (here the value and unit) as digests in `_sd`.
      expect(
        sealed.execution.evidence.map((e: { id: string; seq: number; _sd: string[] }) => [e.id, e.seq, e._sd]),
      ).toEqual(state.serviceEvent!.evidence.map((e) => [e.id, e.seq, (sealedForm(e) as { _sd?: string[] })._sd]));
      await expectAnswersAreTheWorkflows(api, w.intakeId, [...fired, ...notes]);
      await expectNoDifferences(reconciler, w.intakeId);
    }
  });
});

describe('with a worker process that is killed and restarted mid-burst', () => {
  let api: TestApi;
  let reconciler: Reconciler;
  let worker: NodeService;
  beforeAll(async () => {
    api = await startTestApi({}, undefined, { worker: false });
    reconciler = createReconciler({ db: api.db, client: api.client, intakes: api.intakes }, { settleMs: 60_000 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-bursts-'));
    worker = new NodeService(
      'worker',
      'workers/main.ts',
      {
        DATABASE_URL: api.config.DATABASE_URL,
        TEMPORAL_ADDRESS: api.config.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: api.config.TEMPORAL_TASK_QUEUE,
        WORKFLOW_BUNDLE: process.env.QTM_TEST_WORKFLOW_BUNDLE!,
        LOG_LEVEL: 'warn',
      },
      path.join(dir, 'worker.log'),
    );
    await startPolling();
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  async function startPolling(): Promise<void> {
    worker.start();
    const deadline = Date.now() + 60_000;
    const connection = api.client.connection as Connection;
    while (
      (await isPolling(connection, api.config.TEMPORAL_NAMESPACE, api.config.TEMPORAL_TASK_QUEUE, worker.pid)) !== true
    ) {
      if (Date.now() > deadline) throw new Error('the worker process did not start polling');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('bursts of 20 mixed commands while the worker is SIGKILLed and restarted, over 5 rounds: nothing torn', async () => {
    for (let round = 0; round < 5; round += 1) {
      const w = await worldAt(api, 'pending');
      const people = governors(w, 20);
      const kinds = ['approve', 'assign', 'reject', 'createJob', 'assign'] as const;
      const commands: TaskCommand[] = people.map((_, i) => {
        const kind = kinds[(i + round) % kinds.length]!;
        return kind === 'assign' ? { kind, operatorId: w.operatorId } : { kind };
      });
      const answers = burst(
        api,
        commands.map((c, i) => taskShot(w, c, people[i]!)),
      );
      // Kill it while the burst is being worked through, then bring it back.
      await new Promise((r) => setTimeout(r, 30 + round * 40));
      worker.kill();
      await new Promise((r) => setTimeout(r, 500));
      await startPolling();
      const fired = await answers;
      expectNoServerErrors(fired);
      await settled(api, w.intakeId);
      await expectAnswersAreTheWorkflows(api, w.intakeId, fired);
      await expectNoDifferences(reconciler, w.intakeId);
      await expectLinearizable(api, w, commands, fired);
    }
  });
});
