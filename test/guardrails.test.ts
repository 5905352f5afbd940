/**
 * docs/ARCHITECTURE.md §1 guardrails, each attacked and each holding: against the real workflow,
 * the real Temporal server and the real Postgres.
 */
import { createReadModel } from '../db/read-model';
import { CommandRefused } from '../orchestration/intake-client';
import { verifyRecord } from '../trust/record';
import {
  approveUpdate,
  assignUpdate,
  claimUpdate,
  createJobUpdate,
  evidenceUpdate,
  startUpdate,
  stageUpdate,
} from '../workflows/messages';
import { admin, operator, requester } from './support/fixtures';
import { cast, complete, fullLifecycle, governToJob, submit } from './support/scenarios';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

async function refusal(promise: Promise<unknown>): Promise<CommandRefused> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CommandRefused) return error;
    throw error;
  }
  throw new Error('the command was accepted');
}

describe('a Task never becomes executable by itself', () => {
  test('createJob is refused before approval and before assignment, and creates nothing', async () => {
    const c = cast('admin');
    const { ids } = await submit(stack.intakes, c, 'admin');
    expect(
      (await refusal(stack.intakes.command(ids.intakeId, createJobUpdate, { principal: c.governor }))).reason,
    ).toBe('conflict');
    await stack.intakes.command(ids.intakeId, approveUpdate, { principal: c.governor });
    const unassigned = await refusal(stack.intakes.command(ids.intakeId, createJobUpdate, { principal: c.governor }));
    expect(unassigned).toMatchObject({ reason: 'conflict', message: expect.stringContaining('no assignee') });
    expect(await stack.db('jobs').where({ task_id: ids.taskId })).toHaveLength(0);
    expect((await stack.db('tasks').where({ id: ids.taskId }).first()).status).toBe('approved');
  });

  test('assignment before approval does not allow a job either', async () => {
    const c = cast('admin');
    const { ids } = await submit(stack.intakes, c, 'admin');
    await stack.intakes.command(ids.intakeId, assignUpdate, { principal: c.governor, operatorId: c.operatorId });
    expect(
      (await refusal(stack.intakes.command(ids.intakeId, createJobUpdate, { principal: c.governor }))).message,
    ).toMatch(/pending; a job needs an approved task/);
    expect(await stack.db('jobs').where({ task_id: ids.taskId })).toHaveLength(0);
  });
});

describe('one Job per Task, one ServiceEvent per Job', () => {
  test('a second createJob, claim or start is refused and creates nothing new', async () => {
    const c = cast('operator');
    const { ids } = await submit(stack.intakes, c, 'operator');
    const jobId = await governToJob(stack.intakes, ids.intakeId, c);
    expect(
      (await refusal(stack.intakes.command(ids.intakeId, createJobUpdate, { principal: c.governor }))).message,
    ).toMatch(/already exists/);
    await stack.intakes.command(ids.intakeId, claimUpdate, { principal: c.staff });
    expect((await refusal(stack.intakes.command(ids.intakeId, claimUpdate, { principal: c.staff }))).reason).toBe(
      'conflict',
    );
    await stack.intakes.command(ids.intakeId, startUpdate, { principal: c.staff });
    expect((await refusal(stack.intakes.command(ids.intakeId, startUpdate, { principal: c.staff }))).reason).toBe(
      'conflict',
    );
    expect(await stack.db('jobs').where({ task_id: ids.taskId })).toHaveLength(1);
    expect(await stack.db('service_events').where({ job_id: jobId })).toHaveLength(1);
  });

  test('the database itself refuses a second job for a task and a second service event for a job', async () => {
    const { input, jobId } = await fullLifecycle(stack.intakes, 'admin');
    const job = await stack.db('jobs').where({ id: jobId }).first();
    await expect(stack.ownerDb('jobs').insert({ ...job, id: '00000000-0000-4000-8000-000000000001' })).rejects.toThrow(
      /jobs_task_id_unique/,
    );
    const se = await stack.db('service_events').where({ job_id: jobId }).first();
    await expect(
      stack
        .ownerDb('service_events')
        .insert({ ...se, id: '00000000-0000-4000-8000-000000000002', stage_history: JSON.stringify(se.stage_history) }),
    ).rejects.toThrow(/service_events_job_id_unique/);
    expect(await stack.db('records').where({ intake_id: input.ids.intakeId })).toHaveLength(1);
  });
});

describe('a ServiceEvent accepts stages and evidence only between start and completion', () => {
  test('before start and after completion they are refused', async () => {
    const c = cast('operator');
    const { ids } = await submit(stack.intakes, c, 'operator');
    await governToJob(stack.intakes, ids.intakeId, c);
    await stack.intakes.command(ids.intakeId, claimUpdate, { principal: c.staff });
    const early = await refusal(
      stack.intakes.command(ids.intakeId, evidenceUpdate, {
        principal: c.staff,
        evidence: { kind: 'note', description: 'too early' },
      }),
    );
    expect(early).toMatchObject({ reason: 'conflict', message: expect.stringContaining('not been started') });
    await stack.intakes.command(ids.intakeId, startUpdate, { principal: c.staff });
    await stack.intakes.command(ids.intakeId, stageUpdate, { principal: c.staff, stage: 'on_site' });
    const backwards = await refusal(
      stack.intakes.command(ids.intakeId, stageUpdate, { principal: c.staff, stage: 'en_route' }),
    );
    expect(backwards.message).toMatch(/not after the current stage on_site/);
    await complete(stack.intakes, ids.intakeId, c);
    const late = await refusal(
      stack.intakes.command(ids.intakeId, evidenceUpdate, {
        principal: c.staff,
        evidence: { kind: 'note', description: 'too late' },
      }),
    );
    expect(['conflict', 'ended']).toContain(late.reason);
    const se = await stack.db('service_events').where({ intake_id: ids.intakeId }).first();
    expect(await stack.db('evidence').where({ service_event_id: se.id })).toHaveLength(0);
  });
});

describe('principals act only where their role and operator allow', () => {
  test('wrong role or wrong operator is forbidden and changes nothing', async () => {
    const c = cast('operator');
    const { ids } = await submit(stack.intakes, c, 'operator');
    const stranger = operator('op-somebody-else');
    for (const principal of [requester(), admin(), stranger]) {
      expect((await refusal(stack.intakes.command(ids.intakeId, approveUpdate, { principal }))).reason).toBe(
        'forbidden',
      );
    }
    // Its own operator may govern, but only toward itself.
    expect(
      (
        await refusal(
          stack.intakes.command(ids.intakeId, assignUpdate, { principal: c.governor, operatorId: 'op-somebody-else' }),
        )
      ).reason,
    ).toBe('conflict');
    await governToJob(stack.intakes, ids.intakeId, c);
    expect((await refusal(stack.intakes.command(ids.intakeId, claimUpdate, { principal: stranger }))).reason).toBe(
      'forbidden',
    );
    expect((await refusal(stack.intakes.command(ids.intakeId, claimUpdate, { principal: admin() }))).reason).toBe(
      'forbidden',
    );
    await stack.intakes.command(ids.intakeId, claimUpdate, { principal: c.staff });
    // A colleague at the same operator did not claim it, so may not start it.
    const colleague = operator(c.operatorId);
    expect((await refusal(stack.intakes.command(ids.intakeId, startUpdate, { principal: colleague }))).reason).toBe(
      'forbidden',
    );
    const job = await stack.db('jobs').where({ task_id: ids.taskId }).first();
    expect(job).toMatchObject({ status: 'claimed', claimed_by_sub: c.staff.sub });
    const decisions = await stack.db('task_decisions').where({ task_id: ids.taskId }).pluck('principal_sub');
    expect(new Set(decisions)).toEqual(new Set([c.governor.sub]));
  });
});

describe('Records are sealed once and never change', () => {
  test('UPDATE, DELETE and TRUNCATE on records and signals are refused, as the app and as the owner', async () => {
    const { result } = await fullLifecycle(stack.intakes, 'operator');
    for (const [table, id] of [
      ['records', result.recordId!],
      ['signals', result.signalId!],
    ] as const) {
      // The application role has no such privilege at all.
      await expect(stack.db(table).where({ id }).update({ operator_id: 'x' })).rejects.toThrow(/permission denied/);
      await expect(stack.db(table).where({ id }).delete()).rejects.toThrow(/permission denied/);
      await expect(stack.db.raw(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/permission denied|must be owner/);
      // Even the owner is stopped by the triggers.
      await expect(stack.ownerDb(table).where({ id }).update({ operator_id: 'x' })).rejects.toThrow(/append-only/);
      await expect(stack.ownerDb(table).where({ id }).delete()).rejects.toThrow(/append-only/);
      await expect(stack.ownerDb.raw(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/append-only/);
      expect(await stack.db(table).where({ id })).toHaveLength(1);
    }
  });

  test('a tampered record fails verification, naming the broken check', async () => {
    const { result } = await fullLifecycle(stack.intakes, 'admin');
    const row = await stack.db('records').where({ id: result.recordId }).first();
    const tampered = Buffer.from(
      row.canonical.toString('utf8').replace('Work done and tested', 'Work done and tested!'),
    );
    await stack.ownerDb.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica'); // a superuser bypassing the triggers
      await trx('records').where({ id: row.id }).update({ canonical: tampered });
    });
    const after = (await createReadModel(stack.db).storedRecordWithPrevious(row.id))!;
    const checks = verifyRecord(after.record, after.previous);
    expect(checks.find((c) => c.name === 'hash')).toMatchObject({ ok: false });
    expect(checks.find((c) => c.name === 'link')).toMatchObject({ ok: true });
  });

  test('a failed outcome is sealed as a Record and gets no Signal', async () => {
    const { result, input } = await fullLifecycle(stack.intakes, 'operator', 'failed');
    expect(result).toMatchObject({ phase: 'sealed', signalId: null });
    const record = await stack.db('records').where({ intake_id: input.ids.intakeId }).first();
    expect(record.outcome).toBe('failed');
    expect(JSON.parse(record.canonical.toString('utf8')).outcome.status).toBe('failed');
    expect(await stack.db('signals').where({ record_id: record.id })).toHaveLength(0);
    expect((await stack.db('jobs').where({ intake_id: input.ids.intakeId }).first()).status).toBe('failed');
  });
});

describe('a Signal is structurally downstream of its Record', () => {
  test('a signal without a record, or pointing at another job, is refused by the database', async () => {
    const { result, jobId } = await fullLifecycle(stack.intakes, 'admin');
    const other = await fullLifecycle(stack.intakes, 'admin', 'failed');
    const signal = await stack.db('signals').where({ id: result.signalId }).first();
    const base = { ...signal, document: JSON.stringify(signal.document) };
    await expect(
      stack.ownerDb('signals').insert({
        ...base,
        id: '00000000-0000-4000-8000-0000000000a1',
        record_id: '00000000-0000-4000-8000-0000000000ff',
      }),
    ).rejects.toThrow(/foreign key/);
    await expect(
      stack
        .ownerDb('signals')
        .insert({ ...base, id: '00000000-0000-4000-8000-0000000000a2', record_id: other.result.recordId }),
    ).rejects.toThrow(/does not match record/);
    expect(await stack.db('signals').where({ job_id: jobId })).toHaveLength(1);
  });
});

describe('ops staff find intakes the way the Web UI does', () => {
  test('visibility queries by phase and audience', async () => {
    const c = cast('operator');
    const governance = await submit(stack.intakes, c, 'operator');
    const queuedCast = cast('admin');
    const queued = await submit(stack.intakes, queuedCast, 'admin');
    await governToJob(stack.intakes, queued.ids.intakeId, queuedCast);
    const find = async (query: string) => {
      const ids: string[] = [];
      for await (const wf of stack.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids;
    };
    const deadline = Date.now() + 15_000;
    let operatorGovernance: string[] = [];
    let adminQueued: string[] = [];
    // Visibility is eventually consistent.
    while (Date.now() < deadline) {
      operatorGovernance = await find(
        `WorkflowType = 'intakeWorkflow' AND QtmPhase = 'governance' AND QtmAudience = 'operator' AND QtmOperatorId = '${c.operatorId}'`,
      );
      adminQueued = await find(
        `QtmPhase = 'queued' AND QtmAudience = 'admin' AND QtmIntakeId = '${queued.ids.intakeId}'`,
      );
      if (operatorGovernance.length === 1 && adminQueued.length === 1) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(operatorGovernance).toEqual([`intake-${governance.ids.intakeId}`]);
    expect(adminQueued).toEqual([`intake-${queued.ids.intakeId}`]);
    expect(await find(`QtmPhase = 'governance' AND QtmIntakeId = '${queued.ids.intakeId}'`)).toEqual([]);
  });
});
