/**
 * The one-truth oracle: for each Intake, what its workflow holds (the state query and the
 * Updates its history accepted) against every Postgres row of it. The workflow decides, so
 * every difference is a row that describes something the workflow did not accept, or the
 * lack of a row for something it did. `npm run reconcile` prints them; the chaos run and the
 * tests use the same comparison.
 *
 * An intake whose workflow is busy (an activity or workflow task pending) is compared once it
 * settles. One that stays busy while a task keeps failing is reported as stalled: its workflow
 * is not progressing, and OPERATIONS.md says how to repair it.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import type { IntakeState } from '../domain/intake-machine';
import { createReadModel } from '../db/read-model';
import { auditKeys, intakeExists, intakeIds, intakeProgress } from '../db/reconcile';
import { sealedForm } from '../trust/disclosure';
import type { IntakeClient } from './intake-client';

export type DifferenceKind =
  'workflow' | 'intake' | 'task' | 'job' | 'service_event' | 'record' | 'signal' | 'audit' | 'stalled';

export interface Difference {
  intakeId: string;
  kind: DifferenceKind;
  detail: string;
}

/** An Update the workflow's history accepted, and whether it completed with a value or a refusal. */
export interface AcceptedUpdate {
  updateId: string;
  name: string;
  completed: 'value' | 'refusal' | null;
}

export interface IntakeReport {
  intakeId: string;
  /** False when the intake stayed busy (but not stalled) for the whole wait: nothing was compared. */
  compared: boolean;
  differences: Difference[];
}

export interface ReconcileReport {
  intakes: number;
  compared: number;
  inFlight: string[];
  differences: Difference[];
}

export interface ReconcileOptions {
  /** How long to wait for a busy intake to settle before leaving it uncompared. */
  settleMs?: number;
  /** A pending task failing for longer than this (or attempted this often) makes the intake stalled. */
  stalledAfterMs?: number;
  stalledAttempts?: number;
}

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Updates a workflow accepted, from its history (what the server will answer for their ids). */
export async function acceptedUpdates(handle: WorkflowHandle): Promise<Map<string, AcceptedUpdate>> {
  const history = await handle.fetchHistory();
  const updates = new Map<string, AcceptedUpdate>();
  for (const event of history.events ?? []) {
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const meta = accepted.acceptedRequest?.meta;
      const name = accepted.acceptedRequest?.input?.name ?? '';
      if (meta?.updateId) updates.set(meta.updateId, { updateId: meta.updateId, name, completed: null });
    }
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    const known = completed?.meta?.updateId ? updates.get(completed.meta.updateId) : undefined;
    if (completed && known) known.completed = completed.outcome?.failure ? 'refusal' : 'value';
  }
  return updates;
}

/** Differences of two values, as `path: workflow …, rows …` lines (values compared as JSON). */
export function differencesOf(path: string, workflow: unknown, rows: unknown, out: string[] = []): string[] {
  if (Array.isArray(workflow) && Array.isArray(rows)) {
    if (workflow.length !== rows.length) out.push(`${path}: workflow has ${workflow.length}, rows have ${rows.length}`);
    for (let i = 0; i < Math.min(workflow.length, rows.length); i += 1)
      differencesOf(`${path}[${i}]`, workflow[i], rows[i], out);
  } else if (isObject(workflow) && isObject(rows)) {
    for (const key of new Set([...Object.keys(workflow), ...Object.keys(rows)])) {
      differencesOf(`${path}.${key}`, workflow[key] ?? null, rows[key] ?? null, out);
    }
  } else if (JSON.stringify(workflow ?? null) !== JSON.stringify(rows ?? null)) {
    out.push(`${path}: workflow ${JSON.stringify(workflow ?? null)}, rows ${JSON.stringify(rows ?? null)}`);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a sealed Record must say, derived from the workflow's state alone. */
function recordExpectations(state: IntakeState) {
  const { task, job, serviceEvent: se } = state;
  return {
    // As sealed: personal values (notes, reasons, the outcome summary) as digests in `_sd`.
    decisions: task.decisions.map((d) => ({ kind: d.kind, by: d.by.sub, at: d.at, details: sealedForm(d.details) })),
    escalations: task.escalations.map((e) => ({ from: `${e.fromAudience}/${e.fromLevel}`, at: e.at })),
    claim: { by: job?.claimedBy ?? null, at: job?.claimedAt ?? null },
    stages: se?.stageHistory ?? [],
    evidence: se?.evidence.map((e) => e.id) ?? [],
    outcome: sealedForm({ status: se?.outcome ?? null, summary: se?.summary ?? null }),
  };
}

interface SealedGovernance {
  kind: string;
  by: { sub: string };
  at: string;
  details: Record<string, unknown>;
}

function recordSays(doc: Row) {
  const governance = doc.governance as SealedGovernance[];
  return {
    decisions: governance
      .filter((g) => g.kind !== 'escalate')
      .map((g) => ({ kind: g.kind, by: g.by.sub, at: g.at, details: g.details })),
    escalations: governance
      .filter((g) => g.kind === 'escalate')
      .map((g) => ({ from: `${g.details.fromAudience}/${g.details.fromLevel}`, at: g.at })),
    claim: doc.claim,
    stages: doc.execution.stages,
    evidence: (doc.execution.evidence as Array<{ id: string }>).map((e) => e.id),
    outcome: doc.outcome,
  };
}

export function createReconciler(
  deps: { db: Knex; client: Client; intakes: IntakeClient },
  options: ReconcileOptions = {},
) {
  const { db, intakes } = deps;
  // The rows as stored: like the workflow, they hold references to personal values, not the values.
  const readModel = createReadModel(db, { personal: 'references' });
  const settleMs = options.settleMs ?? 15_000;
  const stalledAfterMs = options.stalledAfterMs ?? 5 * 60_000;
  const stalledAttempts = options.stalledAttempts ?? 5;

  /** Null when idle; otherwise what is pending, and whether it looks stuck. */
  async function busy(intakeId: string): Promise<{ stalled: string | null } | null> {
    const { raw } = await intakes.handle(intakeId).describe();
    const task = raw.pendingWorkflowTask;
    const activities = raw.pendingActivities ?? [];
    if (!task && activities.length === 0) return null;
    const now = Date.now();
    const since = (t: { seconds?: unknown } | null | undefined) => (t?.seconds ? Number(t.seconds) * 1000 : now);
    if (task && (task.attempt ?? 1) > 1 && now - since(task.originalScheduledTime) > stalledAfterMs) {
      return {
        stalled: `workflow task attempt ${task.attempt} (failing or timing out since ${new Date(since(task.originalScheduledTime)).toISOString()})`,
      };
    }
    for (const a of activities) {
      const failing = (a.attempt ?? 1) >= stalledAttempts || now - since(a.scheduledTime) > stalledAfterMs;
      if (failing && a.lastFailure) {
        return { stalled: `activity ${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure.message}` };
      }
    }
    return { stalled: null };
  }

  async function compare(intakeId: string, state: IntakeState): Promise<Difference[]> {
    const out: Difference[] = [];
    const add = (kind: DifferenceKind, detail: string) => out.push({ intakeId, kind, detail });
    const lines = (kind: DifferenceKind, path: string, workflow: unknown, rows: unknown) =>
      differencesOf(path, workflow, rows).forEach((d) => add(kind, d));

    const chain = await readModel.intake(intakeId);
    if (!state.persisted) {
      if (chain) add('intake', 'rows exist for an intake the workflow has not persisted yet');
      return out;
    }
    if (!chain) {
      add('intake', 'the workflow holds this intake, Postgres has no row of it');
      return out;
    }
    const intakeRow = await intakeProgress(db, intakeId);
    lines('intake', 'intake', { phase: state.phase, version: state.version }, intakeRow);
    lines('task', 'task', state.task, chain.task);
    lines('job', 'job', state.job, chain.job);
    lines('service_event', 'serviceEvent', state.serviceEvent, chain.serviceEvent);

    if ((state.record?.id ?? null) !== (chain.record?.id ?? null)) {
      add('record', `workflow record ${state.record?.id ?? 'none'}, rows ${chain.record?.id ?? 'none'}`);
    } else if (chain.record) {
      if (chain.record.hash !== state.record!.hash)
        add('record', `hash: workflow ${state.record!.hash}, row ${chain.record.hash}`);
      lines('record', 'record', recordExpectations(state), recordSays(chain.record.record as Row));
    }
    if ((state.signal?.id ?? null) !== (chain.signal?.id ?? null)) {
      add('signal', `workflow signal ${state.signal?.id ?? 'none'}, rows ${chain.signal?.id ?? 'none'}`);
    }

    const audit = await auditKeys(db, intakeId);
    const accepted = await acceptedUpdates(intakes.handle(intakeId));
    const applied = [...accepted.values()].filter((u) => u.completed === 'value' && u.name !== 'submitted');
    const byUpdate = new Map<string, number>();
    for (const row of audit) if (row.update_id) byUpdate.set(row.update_id, (byUpdate.get(row.update_id) ?? 0) + 1);
    for (const [updateId, n] of byUpdate) {
      const known = accepted.get(updateId);
      if (!known) add('audit', `${n} audit row(s) for update ${updateId}, which the workflow's history never accepted`);
      else if (known.completed !== 'value')
        add('audit', `audit row for update ${updateId}, which the workflow refused`);
      else if (n > 1) add('audit', `${n} audit rows for update ${updateId}`);
    }
    for (const u of applied) {
      if (!byUpdate.has(u.updateId)) add('audit', `no audit row for accepted update ${u.name} ${u.updateId}`);
    }
    // One audit line per accepted change, at its version (2 … the last change; sealing has its own line).
    const lastChange = state.version - (state.record ? 1 : 0);
    const versions = new Set(audit.map((r) => r.dedupe_key as string));
    for (let v = 2; v <= lastChange; v += 1) {
      if (!versions.has(`${intakeId}:${v}`)) add('audit', `no audit row for the change at version ${v}`);
    }
    for (const key of versions) {
      const v = Number(key.slice(intakeId.length + 1));
      if (Number.isInteger(v) && v > lastChange)
        add('audit', `audit row at version ${v}, after the workflow's last change (${lastChange})`);
    }
    return out;
  }

  /** Compares one intake once it is idle (or says it stalled, or stayed busy). */
  async function intake(intakeId: string): Promise<IntakeReport> {
    const deadline = Date.now() + settleMs;
    for (;;) {
      let state: IntakeState;
      try {
        state = await intakes.state(intakeId);
      } catch (error) {
        // A workflow task that keeps failing (a worker that cannot run or replay the code) also
        // fails every query: say that it is stalled, and why the workflow cannot be read.
        const stalled = (await busy(intakeId).catch(() => null))?.stalled;
        if (stalled) {
          const detail = `${stalled}; the workflow cannot be read: ${(error as Error).message}`;
          return { intakeId, compared: true, differences: [{ intakeId, kind: 'stalled', detail }] };
        }
        const detail = (await intakeExists(db, intakeId))
          ? `rows exist but the workflow cannot be read: ${(error as Error).message}`
          : (error as Error).message;
        return { intakeId, compared: true, differences: [{ intakeId, kind: 'workflow', detail }] };
      }
      const pending = await busy(intakeId);
      if (pending?.stalled) {
        return { intakeId, compared: true, differences: [{ intakeId, kind: 'stalled', detail: pending.stalled }] };
      }
      if (!pending) {
        const differences = await compare(intakeId, state);
        // A command accepted while the rows were read makes a torn comparison: read again.
        const after = await intakes.state(intakeId);
        if (after.version === state.version && !(await busy(intakeId)))
          return { intakeId, compared: true, differences };
      }
      if (Date.now() > deadline) return { intakeId, compared: false, differences: [] };
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Every intake with rows or a workflow (created since `since`, or the ids given). */
  async function all(
    select: { since?: Date; intakeIds?: string[]; concurrency?: number } = {},
  ): Promise<ReconcileReport> {
    const ids = new Set<string>(select.intakeIds ?? []);
    if (!select.intakeIds) {
      for (const id of await intakeIds(db, select.since)) ids.add(id);
      const filter = `WorkflowType = 'intakeWorkflow'${select.since ? ` AND StartTime >= '${select.since.toISOString()}'` : ''}`;
      for await (const wf of deps.client.workflow.list({ query: filter }))
        ids.add(wf.workflowId.replace(/^intake-/, ''));
    }
    const queue = [...ids];
    const reports: IntakeReport[] = [];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) reports.push(await intake(id));
    };
    await Promise.all(Array.from({ length: select.concurrency ?? 8 }, worker));
    return {
      intakes: ids.size,
      compared: reports.filter((r) => r.compared).length,
      inFlight: reports.filter((r) => !r.compared).map((r) => r.intakeId),
      differences: reports.flatMap((r) => r.differences),
    };
  }

  return { intake, all };
}

export type Reconciler = ReturnType<typeof createReconciler>;
