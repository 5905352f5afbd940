/**
 * Races through the HTTP API: exactly one winner, the others 409, nothing half-applied.
 */
import { operator } from './support/fixtures';
import { startTestApi, type TestApi } from './support/api';
import { worldAt } from './support/http-world';
import { createVault } from '../db/personal-data';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

test.each([2, 4, 8])('%i operators racing to claim one job: one wins, the rest get 409', async (racers) => {
  const w = await worldAt(api, 'queued');
  const staff = Array.from({ length: racers }, () => operator(w.operatorId));
  const answers = await Promise.all(
    staff.map((as) => api.as(as).POST('/v1/jobs/{id}/claim', { params: { path: { id: w.jobId! } }, body: {} })),
  );
  const winners = answers.flatMap((a, i) => (a.response.status === 200 ? [staff[i]!] : []));
  expect(winners).toHaveLength(1);
  expect(answers.filter((a) => a.response.status === 409)).toHaveLength(racers - 1);
  const job = await api.db('jobs').where({ id: w.jobId }).first();
  expect(job).toMatchObject({ status: 'claimed', claimed_by_sub: winners[0]!.sub });
  expect(await api.db('audit_log').where({ intake_id: w.intakeId, action: 'job.claimed' })).toHaveLength(1);
});

test('approve racing reject: one decision wins, and the state matches it', async () => {
  for (let round = 0; round < 5; round += 1) {
    const w = await worldAt(api, 'pending');
    const task = { params: { path: { id: w.taskId } } };
    const [{ response: approve }, { response: reject }] = await Promise.all([
      api.as(w.governor).POST('/v1/tasks/{id}/approve', { ...task, body: {} }),
      api.as(w.admin).POST('/v1/tasks/{id}/reject', { ...task, body: { reason: 'race' } }),
    ]);
    // Approve then reject are both allowed in that order (reject is allowed on an approved task);
    // reject then approve is not. Either way the end state is consistent with what succeeded.
    const row = await api.db('tasks').where({ id: w.taskId }).first();
    const decisions = await api.db('task_decisions').where({ task_id: w.taskId }).orderBy('decided_at').pluck('kind');
    expect(reject.status).toBe(200);
    expect(row.status).toBe('rejected');
    if (approve.status === 200) expect(decisions).toEqual(['approve', 'reject']);
    else {
      expect(approve.status).toBe(409);
      expect(decisions).toEqual(['reject']);
    }
    expect((await api.db('intakes').where({ id: w.intakeId }).first()).phase).toBe('rejected');
  }
});

test('evidence racing complete: evidence is either in the sealed record or refused, never half-applied', async () => {
  for (let round = 0; round < 4; round += 1) {
    const w = await worldAt(api, 'executing');
    const staff = api.as(w.staff);
    const se = { params: { path: { id: w.serviceEventId! } } };
    const evidence = Array.from({ length: 3 }, (_, i) =>
      staff.POST('/v1/service-events/{id}/evidence', {
        ...se,
        body: { kind: 'note', description: `racing note ${i}` },
      }),
    );
    const complete = staff.POST('/v1/service-events/{id}/complete', {
      ...se,
      body: { outcome: 'completed', summary: 'race' },
    });
    const [answers, done] = await Promise.all([Promise.all(evidence), complete]);
    expect(done.response.status).toBe(202);
    for (const a of answers) expect([201, 409]).toContain(a.response.status);
    await api.intakes.handle(w.intakeId).result();
    const accepted = answers.filter((a) => a.response.status === 201).map((a) => a.data!.evidenceId);
    const stored = await api.db('evidence').where({ service_event_id: w.serviceEventId }).pluck('id');
    expect(new Set(stored)).toEqual(new Set(accepted));
    const record = await api.db('records').where({ intake_id: w.intakeId }).first();
    const sealed = JSON.parse(record.canonical.toString('utf8')).execution.evidence.map((e: { id: string }) => e.id);
    expect(new Set(sealed)).toEqual(new Set(accepted));
  }
});

test('concurrent starts by the claimer open exactly one service event', async () => {
  const w = await worldAt(api, 'claimed');
  const staff = api.as(w.staff);
  const answers = await Promise.all(
    Array.from({ length: 4 }, () =>
      staff.POST('/v1/jobs/{id}/start', { params: { path: { id: w.jobId! } }, body: {} }),
    ),
  );
  expect(answers.filter((a) => a.response.status === 201)).toHaveLength(1);
  expect(answers.filter((a) => a.response.status === 409)).toHaveLength(3);
  expect(await api.db('service_events').where({ job_id: w.jobId })).toHaveLength(1);
});

test('a colleague racing the claimant: only the claimant adds evidence and completes; the colleague is refused (403)', async () => {
  const w = await worldAt(api, 'executing');
  const se = { params: { path: { id: w.serviceEventId! } } };
  const [claimant, colleague] = [api.as(w.staff), api.as(w.colleague)];
  const note = (as: typeof claimant, text: string) =>
    as.POST('/v1/service-events/{id}/evidence', { ...se, body: { kind: 'note', description: text } });
  const [theirs, mine] = await Promise.all([
    Promise.all([
      note(colleague, 'colleague 1'),
      colleague.POST('/v1/service-events/{id}/stage', { ...se, body: { stage: 'on_site' } }),
      colleague.POST('/v1/service-events/{id}/complete', { ...se, body: { outcome: 'failed', summary: 'not mine' } }),
      note(colleague, 'colleague 2'),
    ]),
    Promise.all([note(claimant, 'claimant 1'), note(claimant, 'claimant 2')]),
  ]);
  expect(theirs.map((a) => a.response.status)).toEqual([403, 403, 403, 403]);
  expect(mine.map((a) => a.response.status)).toEqual([201, 201]);
  const done = await claimant.POST('/v1/service-events/{id}/complete', {
    ...se,
    body: { outcome: 'completed', summary: 'done' },
  });
  expect(done.response.status).toBe(202);
  await api.intakes.handle(w.intakeId).result();
  const rows = await api.db('evidence').where({ service_event_id: w.serviceEventId });
  const stored = await createVault(api.db).reveal(w.intakeId, rows);
  expect(stored.map((e) => [e.description, e.recorded_by_sub]).sort()).toEqual([
    ['claimant 1', w.staff.sub],
    ['claimant 2', w.staff.sub],
  ]);
  const record = await api.db('records').where({ intake_id: w.intakeId }).first();
  expect(record.outcome).toBe('completed');
});
