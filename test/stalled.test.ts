/**
 * No intake can be wedged. A write that can never succeed (here: a Job row that the workflow
 * never created already holds the Task's one job slot) is retried as an activity, outside any
 * workflow task: the workflow still answers, other intakes move on, the worker still shuts down
 * cleanly, `reconcile` names the stalled intake and its failing write, and once ops repair the
 * rows the write lands by itself and nothing differs.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { isDependencyOutage } from '../api/errors';
import { createHttpServer } from '../api/server';
import { qtmClient } from '../client';
import { IntakeClient, refusalOf } from '../orchestration/intake-client';
import { prepareSubmission } from '../orchestration/submission';
import { createReconciler, type Reconciler } from '../orchestration/reconcile';
import { temporalConnectionOptions, temporalDataConverter } from '../adapters/temporal-connection';
import { createJobUpdate } from '../workflows/messages';
import { startTestApi, type TestApi } from './support/api';
import { requestBody } from './support/fixtures';
import { worldAt, type World } from './support/http-world';

jest.setTimeout(180_000);

/** A row the workflow never accepted takes the Task's one job slot, as a bad restore or a manual edit would. */
async function takeTheJobSlot(api: TestApi, w: World): Promise<string> {
  const id = randomUUID();
  await api.ownerDb('jobs').insert({
    id,
    task_id: w.taskId,
    intake_id: w.intakeId,
    operator_id: w.operatorId,
    status: 'queued',
    created_by_sub: 'someone-by-hand',
    created_by_role: 'admin',
    created_at: new Date(),
    updated_at: new Date(),
    version: 0,
  });
  return id;
}

/** The reconciler's report once it names the intake stalled, or after a minute of asking. */
async function untilStalled(reconciler: Reconciler, intakeId: string) {
  const deadline = Date.now() + 60_000;
  let report = await reconciler.intake(intakeId);
  while (!report.differences.some((d) => d.kind === 'stalled') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    report = await reconciler.intake(intakeId);
  }
  return report;
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

test('a write that keeps failing stalls one intake, visibly, and heals once the rows are repaired', async () => {
  const w = await worldAt(api, 'assigned');
  const intruder = await takeTheJobSlot(api, w);

  // The command is accepted; its write fails on every attempt. The caller is told to retry, not a 500.
  const impatient = new IntakeClient(api.client, api.config.TEMPORAL_TASK_QUEUE, {
    answerWithinMs: 3_000,
    resendsWhenUnprocessed: 4,
  });
  const updateId = `createJob:${w.taskId}:stalled-test`;
  await expect(
    impatient.command(w.intakeId, createJobUpdate, { principal: w.governor }, updateId),
  ).rejects.toMatchObject({
    reason: 'unavailable',
  });

  const reconciler = createReconciler(
    { db: api.db, client: api.client, intakes: api.intakes },
    { settleMs: 20_000, stalledAttempts: 3, stalledAfterMs: 60_000 },
  );
  const report = await untilStalled(reconciler, w.intakeId);
  expect(report.differences).toEqual([
    expect.objectContaining({
      kind: 'stalled',
      detail: expect.stringMatching(/activity createJob attempt \d+: .*jobs_task_id_unique/),
    }),
  ]);

  // Not wedged: the workflow answers its query, and another intake goes through meanwhile.
  expect((await api.intakes.state(w.intakeId)).task.status).toBe('job_created');
  const other = await worldAt(api, 'queued');
  expect(other.jobId).toBeDefined();

  // The repair: the intruding row goes; the next retry writes the workflow's Job and the command is answered.
  await api.ownerDb('jobs').where({ id: intruder }).delete();
  const job = await api.intakes.command(w.intakeId, createJobUpdate, { principal: w.governor }, updateId);
  expect(job.taskId).toBe(w.taskId);
  const healed = await createReconciler({ db: api.db, client: api.client, intakes: api.intakes }).intake(w.intakeId);
  expect(healed).toEqual({ intakeId: w.intakeId, compared: true, differences: [] });
});

test('over HTTP, a command not answered in time is a 503 with Retry-After; the same Idempotency-Key gets the Job once repaired', async () => {
  const w = await worldAt(api, 'assigned');
  const intruder = await takeTheJobSlot(api, w);
  // The API as deployed, with a shorter wait for the workflow's answer.
  const impatient = new IntakeClient(api.client, api.config.TEMPORAL_TASK_QUEUE, {
    answerWithinMs: 3_000,
    resendsWhenUnprocessed: 0,
  });
  const server = createHttpServer(createApp({ ...api.deps, intakes: impatient }).app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const governor = qtmClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: () => api.token(w.governor),
    });
    const createJob = () =>
      governor.POST('/v1/tasks/{id}/job', {
        params: { path: { id: w.taskId }, header: { 'idempotency-key': 'stalled-over-http' } },
        body: {},
      });
    const late = await createJob();
    expect(late.response.status).toBe(503);
    expect(late.response.headers.get('retry-after')).toBe('2');
    expect(late.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(late.error).toMatchObject({ status: 503, detail: expect.stringMatching(/same Idempotency-Key/) });

    await api.ownerDb('jobs').where({ id: intruder }).delete();
    const answered = await createJob();
    expect(answered.response.status).toBe(201);
    expect(answered.data).toMatchObject({ taskId: w.taskId, operatorId: w.operatorId, status: 'queued' });
    expect(await api.db('jobs').where({ task_id: w.taskId }).select('id')).toEqual([{ id: answered.data!.id }]);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('the worker shuts down promptly while an intake is stalled', async () => {
  const stalled = await startTestApi();
  const w = await worldAt(stalled, 'assigned');
  await takeTheJobSlot(stalled, w);
  const impatient = new IntakeClient(stalled.client, stalled.config.TEMPORAL_TASK_QUEUE, {
    answerWithinMs: 3_000,
    resendsWhenUnprocessed: 0,
  });
  await expect(impatient.command(w.intakeId, createJobUpdate, { principal: w.governor })).rejects.toMatchObject({
    reason: 'unavailable',
  });
  const started = Date.now();
  await stalled.stop();
  expect(Date.now() - started).toBeLessThan(15_000);
});

test('a first write that can never succeed stalls its intake outside the workflow task; the caller gets 503', async () => {
  // The API refuses such a principal up front; sent straight to the workflow, Postgres cannot store it.
  const input = prepareSubmission({ sub: 'nul\u0000inside', role: 'requester' }, requestBody(), null);
  const impatient = new IntakeClient(api.client, api.config.TEMPORAL_TASK_QUEUE, {
    answerWithinMs: 3_000,
    resendsWhenUnprocessed: 0,
  });
  const refused = await impatient.submit(input).catch((error: unknown) => error);
  expect(refusalOf(refused, 'intake') ?? isDependencyOutage(refused)).toBeTruthy();
  const reconciler = createReconciler(
    { db: api.db, client: api.client, intakes: api.intakes },
    { settleMs: 20_000, stalledAttempts: 3, stalledAfterMs: 60_000 },
  );
  const report = await untilStalled(reconciler, input.ids.intakeId);
  expect(report.differences).toEqual([
    expect.objectContaining({
      kind: 'stalled',
      detail: expect.stringMatching(/activity persistIntake attempt \d+: .*0x00/),
    }),
  ]);
  // The workflow itself answers (its state is the Intake's, not yet persisted), and no workflow task is failing.
  expect((await api.intakes.state(input.ids.intakeId)).persisted).toBe(false);
  const { raw } = await api.intakes.handle(input.ids.intakeId).describe();
  expect(raw.pendingWorkflowTask ?? null).toBeNull();
  await api.intakes.handle(input.ids.intakeId).terminate('test over: a principal Postgres cannot store');
});

test('a workflow task that keeps failing (code the worker cannot run) is named stalled by reconcile', async () => {
  const taskQueue = `broken-${randomUUID()}`;
  const connection = await NativeConnection.connect(temporalConnectionOptions(api.config));
  const worker = await Worker.create({
    connection,
    namespace: api.config.TEMPORAL_NAMESPACE,
    taskQueue,
    dataConverter: temporalDataConverter(api.config),
    workflowsPath: require.resolve('./support/broken-intake-workflow'),
  });
  const intakeId = randomUUID();
  try {
    await worker.runUntil(async () => {
      await api.client.workflow.start('intakeWorkflow', { workflowId: `intake-${intakeId}`, taskQueue, args: [] });
      const reconciler = createReconciler(
        { db: api.db, client: api.client, intakes: api.intakes },
        { settleMs: 2_000, stalledAfterMs: 1_000 },
      );
      const report = await untilStalled(reconciler, intakeId);
      expect(report).toEqual({
        intakeId,
        compared: true,
        differences: [
          {
            intakeId,
            kind: 'stalled',
            detail: expect.stringMatching(
              /^workflow task attempt \d+ \(failing or timing out since .*\); the workflow cannot be read: /,
            ),
          },
        ],
      });
    });
  } finally {
    await api.intakes.handle(intakeId).terminate('test over: a bad build');
    await connection.close();
  }
});
