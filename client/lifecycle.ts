/**
 * One Intake driven through the HTTP contract by the people of the chain, from the Request to
 * the end its plan names (or to a step on the way). The one lifecycle driver: the demo, the
 * benchmarks, the chaos run, the UI check and the tests all drive Intakes with it.
 */
import { reasonOf, type QtmClient, type Schemas } from './index';

export type Ending = 'completed' | 'failed' | 'rejected' | 'withdrawn';
/** Where a lifecycle can be stopped: after the submission, or after each governance or execution step. */
export type Step = 'pending' | 'approved' | 'assigned' | 'queued' | 'claimed' | 'executing' | 'completed';
const STEPS: Step[] = ['pending', 'approved', 'assigned', 'queued', 'claimed', 'executing', 'completed'];

export type CommandName =
  | 'submit'
  | 'withdraw'
  | 'reject'
  | 'approve'
  | 'assign'
  | 'createJob'
  | 'claim'
  | 'start'
  | 'stage'
  | 'evidence'
  | 'complete';

/** Who acts: each a client holding that person's token. */
export interface Cast {
  requester: QtmClient;
  /** A governance actor of the Task's audience (its operator, or an admin). */
  governor: QtmClient;
  /** Staff of the operator the Job is assigned to. */
  staff: QtmClient;
}

type SubmitBody = Schemas['SubmitRequest'];
type EvidenceBody = Schemas['EvidenceInput'];
type Stage = Schemas['StageChange']['stage'];

export interface LifecyclePlan {
  body: SubmitBody;
  /** An Intake already submitted (waiting in governance): drive it on from there instead of submitting. */
  submitted?: Lifecycle;
  /** The operator the Task is assigned to. */
  operatorId: string;
  ending?: Ending;
  /** Stop after this step (default: drive to the ending). */
  until?: Step;
  stages?: Stage[];
  evidence?: EvidenceBody[];
  summary?: string;
}

export interface Lifecycle {
  requestId: string;
  intakeId: string;
  taskId: string;
  jobId?: string;
  serviceEventId?: string;
}

export interface DriveOptions {
  /** Called after each command with how long it took (ms) and what it answered; awaited before the next. */
  onStep?: (command: CommandName, ms: number, answer: unknown) => void | Promise<void>;
  /** How long a step answered 503 is retried (with its Idempotency-Key) before it counts as failed; 2 min by default. */
  retryUnavailableForMs?: number;
  /** Called once the Request is accepted (so a caller knows the Intake even if a later step fails). */
  onSubmitted?: (ids: Lifecycle) => void;
}

/** A step answered other than the contract says it should have. */
export class StepFailed extends Error {
  override name = 'StepFailed';
  constructor(
    readonly command: CommandName,
    readonly status: number,
    reason: string,
  ) {
    super(`${command}: ${reason}`);
  }
}

export const DEFAULT_EVIDENCE: EvidenceBody[] = [
  { kind: 'note', description: 'arrived on site' },
  { kind: 'measurement', value: 42, unit: 'psi' },
  { kind: 'photo', sha256: 'f'.repeat(64), mediaType: 'image/jpeg' },
];

type Answered<T> = { data?: T; error?: unknown; response: Response };

export async function driveLifecycle(cast: Cast, plan: LifecyclePlan, options: DriveOptions = {}): Promise<Lifecycle> {
  const ending = plan.ending ?? 'completed';
  const reach = (step: Step) => STEPS.indexOf(plan.until ?? 'completed') >= STEPS.indexOf(step);
  const run = async <T>(
    command: CommandName,
    expected: number,
    call: (headers: { 'idempotency-key': string }) => Promise<Answered<T>>,
  ): Promise<NonNullable<T>> => {
    const started = performance.now();
    // One key per step: a 503 ("retry shortly with the same Idempotency-Key") is retried as the same command.
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const deadline = Date.now() + (options.retryUnavailableForMs ?? 120_000);
    let answered = await call(headers);
    while (answered.response.status === 503 && Date.now() < deadline) {
      const after = Number(answered.response.headers.get('retry-after') ?? 1);
      await new Promise((r) => setTimeout(r, 1000 * (Number.isFinite(after) ? after : 1)));
      answered = await call(headers);
    }
    const { data, error, response } = answered;
    if (response.status !== expected || data === undefined || data === null) {
      throw new StepFailed(command, response.status, `expected ${expected}, got ${reasonOf(error, response)}`);
    }
    await options.onStep?.(command, performance.now() - started, data);
    return data;
  };

  const ids: Lifecycle = plan.submitted
    ? { ...plan.submitted }
    : await run('submit', 201, (headers) => cast.requester.POST('/v1/requests', { headers, body: plan.body })).then(
        (s) => ({
          requestId: s.requestId,
          intakeId: s.intakeId,
          taskId: s.taskId,
        }),
      );
  options.onSubmitted?.(ids);
  const task = { params: { path: { id: ids.taskId } } };
  if (ending === 'withdrawn') {
    const intake = { params: { path: { id: ids.intakeId } } };
    await run('withdraw', 200, (headers) =>
      cast.requester.POST('/v1/intakes/{id}/withdraw', { headers, ...intake, body: { reason: 'no longer needed' } }),
    );
    return ids;
  }
  if (ending === 'rejected') {
    await run('reject', 200, (headers) =>
      cast.governor.POST('/v1/tasks/{id}/reject', { headers, ...task, body: { reason: 'out of area' } }),
    );
    return ids;
  }
  if (!reach('approved')) return ids;
  await run('approve', 200, (headers) => cast.governor.POST('/v1/tasks/{id}/approve', { headers, ...task, body: {} }));
  if (!reach('assigned')) return ids;
  await run('assign', 200, (headers) =>
    cast.governor.POST('/v1/tasks/{id}/assign', { headers, ...task, body: { operatorId: plan.operatorId } }),
  );
  if (!reach('queued')) return ids;
  const job = await run('createJob', 201, (headers) =>
    cast.governor.POST('/v1/tasks/{id}/job', { headers, ...task, body: {} }),
  );
  ids.jobId = job.id;
  if (!reach('claimed')) return ids;
  const jobPath = { params: { path: { id: job.id } } };
  await run('claim', 200, (headers) => cast.staff.POST('/v1/jobs/{id}/claim', { headers, ...jobPath, body: {} }));
  if (!reach('executing')) return ids;
  const started = await run('start', 201, (headers) =>
    cast.staff.POST('/v1/jobs/{id}/start', { headers, ...jobPath, body: {} }),
  );
  ids.serviceEventId = started.serviceEventId;
  if (!reach('completed')) return ids;
  const se = { params: { path: { id: started.serviceEventId } } };
  for (const stage of plan.stages ?? ['en_route', 'on_site']) {
    await run('stage', 200, (headers) =>
      cast.staff.POST('/v1/service-events/{id}/stage', { headers, ...se, body: { stage } }),
    );
  }
  for (const evidence of plan.evidence ?? DEFAULT_EVIDENCE) {
    await run('evidence', 201, (headers) =>
      cast.staff.POST('/v1/service-events/{id}/evidence', { headers, ...se, body: evidence }),
    );
  }
  await run('complete', 202, (headers) =>
    cast.staff.POST('/v1/service-events/{id}/complete', {
      headers,
      ...se,
      body: { outcome: ending, summary: plan.summary ?? `work ${ending}` },
    }),
  );
  return ids;
}

/** Polls the Intake until it has ended (sealed with its Signal for completed work, or rejected / withdrawn). */
export async function awaitEnd(client: QtmClient, intakeId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const { data } = await client.GET('/v1/intakes/{id}', { params: { path: { id: intakeId } } });
    const ended = data && (data.phase === 'rejected' || data.phase === 'withdrawn' || data.phase === 'sealed');
    const attributed = data?.phase !== 'sealed' || data.serviceEvent?.outcome !== 'completed' || data.signal;
    if (data && ended && attributed) return data;
    if (Date.now() > deadline)
      throw new Error(`intake ${intakeId} did not end within ${timeoutMs} ms (${data?.phase})`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
