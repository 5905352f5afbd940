/**
 * One Intake along the chain (GET /v1/intakes/:id, read again every POLL_MS): where it stands from
 * Request to ⭐ Signal, its history as a timeline, withdrawal while no Job exists, the sealed Record
 * and the Signal, and their verification in this browser (verify.ts).
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import type { CommandName } from '../../../client/lifecycle';
import { useChain } from '../chain';
import { EvidenceList } from '../evidence';
import { RequestFacts, stageSay, useOperatorName } from '../facts';
import { api, type Session } from '../session';
import { Confirm, Link, Loading, must, PageHeading, Refused, short, Star, Status, useAction, When, words } from '../ui';
import { verifyInBrowser, type Verification } from '../verify';

type Chain = Schemas['IntakeChain'];

/** The chain's links in order, and whether this Intake has reached each. */
const LINKS: Array<{ name: string; reached: (c: Chain) => boolean }> = [
  { name: 'Request', reached: (c) => c.request !== null },
  { name: 'Intake', reached: () => true },
  { name: 'Task', reached: (c) => c.task !== null },
  { name: 'Job', reached: (c) => c.job !== null },
  { name: 'ServiceEvent', reached: (c) => c.serviceEvent !== null },
  { name: 'Record', reached: (c) => c.record !== null },
  { name: 'Signal', reached: (c) => c.signal !== null },
];

/** The audit trail's actions in words; decisions are named by the lifecycle's commands. */
const DECISIONS: Partial<Record<string, CommandName>> = {
  'task.approve': 'approve',
  'task.reject': 'reject',
  'task.assign': 'assign',
  'task.create_job': 'createJob',
  'task.withdraw': 'withdraw',
};
const COMMAND_WORDS: Record<CommandName, string> = {
  submit: 'Request submitted',
  withdraw: 'Withdrawn by the requester',
  reject: 'Rejected',
  approve: 'Approved',
  assign: 'Assigned',
  createJob: 'Job created',
  claim: 'Job claimed',
  start: 'Work started',
  stage: 'Stage reached',
  evidence: 'Evidence added',
  complete: 'Work completed',
};
const ACTION_WORDS: Record<string, string> = {
  'request.received': 'Request received',
  'intake.created': 'Request recorded',
  'task.created': 'Sent for review',
  'task.escalated': 'Passed on for a decision',
  'job.created': 'Sent to the operator',
  'job.claimed': COMMAND_WORDS.claim,
  'service_event.opened': COMMAND_WORDS.start,
  'service_event.stage': COMMAND_WORDS.stage,
  'evidence.added': COMMAND_WORDS.evidence,
  'service_event.completed': COMMAND_WORDS.complete,
  'record.sealed': 'Record of the work sealed',
  'signal.emitted': 'Signal issued by the operator',
};

function describe(
  entry: Record<string, unknown>,
  evidence: Schemas['Evidence'][],
  operatorName: (id: string) => string,
): string {
  const action = String(entry.action);
  const command = DECISIONS[action];
  const details = (entry.details ?? {}) as Record<string, unknown>;
  if (action === 'evidence.added') {
    const added = evidence.find((e) => e.seq === details.seq);
    const kind = words(String(details.kind ?? added?.kind ?? 'evidence'));
    return `${kind[0]!.toUpperCase()}${kind.slice(1)} added${added?.description ? `: ${added.description}` : ''}`;
  }
  const base = command ? COMMAND_WORDS[command] : (ACTION_WORDS[action] ?? action);
  const extra =
    typeof details.operatorId === 'string' && action === 'task.assign'
      ? ` to ${operatorName(details.operatorId)}`
      : typeof details.stage === 'string'
        ? `: ${stageSay(details.stage)}`
        : typeof details.toAudience === 'string'
          ? ` to the ${details.toAudience} audience (level ${String(details.toLevel ?? '')})`
          : typeof details.outcome === 'string'
            ? ` (${details.outcome})`
            : typeof details.reason === 'string'
              ? `: ${details.reason}`
              : '';
  return base + extra;
}

/** Where the request stands, in one sentence, as its requester would say it. */
function standing(chain: Chain, operatorName: (id: string | null | undefined) => string): string {
  const operator = operatorName(
    chain.job?.operatorId ?? chain.task?.assigneeOperatorId ?? (chain.intake.operatorId as string),
  );
  const decision = (kind: string) => [...(chain.task?.decisions ?? [])].reverse().find((d) => d.kind === kind);
  switch (chain.phase) {
    case 'governance':
      return chain.task?.status === 'approved'
        ? `Approved${chain.task.assigneeOperatorId ? ` for ${operator}` : ''}: the work is being arranged.`
        : chain.task?.audience === 'operator'
          ? `Sent to ${operator}: they are deciding whether to take it.`
          : 'Received: our team is reviewing it and will choose who does it.';
    case 'queued':
      return `On its way: ${operator} has it in their queue.`;
    case 'claimed':
      return `${operator} has taken it; the work starts soon.`;
    case 'executing':
      return `${operator} is working on it: ${stageSay(chain.serviceEvent?.stage)}.`;
    case 'rejected': {
      const reason = decision('reject')?.details.reason;
      return `Declined${typeof reason === 'string' ? `: “${reason}”` : '.'}`;
    }
    case 'withdrawn':
      return 'Withdrawn: nothing more will happen with it.';
    default:
      return chain.serviceEvent?.outcome === 'failed'
        ? `${operator} could not do the work.`
        : `Completed by ${operator}.`;
  }
}

export function Intake({ id, session }: { id: string; session: Session }) {
  const { data: chain, error, reload } = useChain(id);
  const withdraw = useAction({ refresh: reload });
  const operatorName = useOperatorName();

  if (!chain) return <Loading title={`Request ${short(id)}`} error={error} />;
  const summary = String(chain.intake.summary ?? '');
  const isRequester = session.principal.role === 'requester';
  const mayWithdraw = isRequester && chain.job === null && chain.phase === 'governance';
  const se = chain.serviceEvent;
  const finished = se?.status === 'closed';

  return (
    <main id="main">
      <PageHeading title={summary || `Request ${short(id)}`} />
      <section class="card outcome" aria-labelledby="outcome-heading">
        <h2 id="outcome-heading">
          <Status of={chain.phase} />
        </h2>
        <p class="standing">{standing(chain, operatorName)}</p>
        {finished && (
          <p>
            <When at={se.closedAt} /> — “{se.summary}”
          </p>
        )}
        {se && !finished && (
          <p class="muted">
            Started <When at={se.openedAt} />
          </p>
        )}
        {se && <EvidenceList evidence={se.evidence} technical={!isRequester} />}
        {mayWithdraw && (
          <div class="actions">
            <Confirm
              label="Withdraw Request"
              title="Withdraw this Request?"
              confirmLabel="Withdraw"
              danger
              disabled={withdraw.busy}
              onConfirm={() =>
                withdraw.run(() =>
                  must(
                    api.POST('/v1/intakes/{id}/withdraw', {
                      params: { path: { id } },
                      body: { reason: 'withdrawn by the requester' },
                    }),
                  ),
                )
              }
            >
              <p>Nobody has been sent yet, so you can still take it back. Nothing more will happen with it.</p>
            </Confirm>
          </div>
        )}
        <Refused error={withdraw.error} />
      </section>
      <Refused error={error} />

      {chain.record && <SealedRecord record={chain.record} signal={chain.signal} />}

      <RequestFacts
        chain={chain}
        heading={isRequester ? 'What you asked for' : 'The request'}
        forRequester={isRequester}
      />

      <details class="card">
        <summary>History ({chain.history.length} steps)</summary>
        <ol class="chain" aria-label="Along the chain">
          {LINKS.map((link) => {
            const reached = link.reached(chain);
            return (
              <li key={link.name} class={reached ? 'reached' : 'ahead'}>
                <span aria-hidden="true">{reached ? '●' : '○'}</span> {link.name === 'Signal' && <Star />}
                {link.name}
                <span class="visually-hidden">{reached ? ': reached' : ': not yet'}</span>
              </li>
            );
          })}
        </ol>
        <ol class="timeline" aria-label="Timeline, oldest first">
          {chain.history.map((entry, i) => {
            const by = (entry.by ?? {}) as { sub?: string; role?: string };
            return (
              <li key={i}>
                <strong>
                  {entry.action === 'signal.emitted' && <Star />}
                  {describe(entry, se?.evidence ?? [], operatorName)}
                </strong>
                <div class="muted">
                  <When at={String(entry.at)} /> · {by.role === 'system' ? 'the system' : `${by.sub} (${by.role})`}
                </div>
              </li>
            );
          })}
        </ol>
        <p class="muted">Request {id}</p>
      </details>
      {!isRequester && chain.task && (
        <p>
          <Link href={`/tasks/${chain.task.id}`}>Open its Task</Link>
          {chain.job && (
            <>
              {' · '}
              <Link href={`/jobs/${chain.job.id}`}>Open its Job</Link>
            </>
          )}
        </p>
      )}
    </main>
  );
}

function SealedRecord({ record, signal }: { record: NonNullable<Chain['record']>; signal: Chain['signal'] }) {
  const [result, setResult] = useState<Verification | null>(null);
  const action = useAction();
  const attribution = (signal?.signal as { credentialSubject?: { attribution?: { statement?: string } } } | undefined)
    ?.credentialSubject?.attribution;

  return (
    <section class="card" aria-labelledby="record-heading">
      <h2 id="record-heading">
        Sealed record{signal ? ' and ' : ''}
        {signal && (
          <>
            <Star />
            Signal
          </>
        )}
      </h2>
      <p>
        What was done is sealed into a record that cannot be changed without it showing
        {signal && (
          <>
            , and the operator’s <Star />
            Signal vouches for it
          </>
        )}
        . You can check that here, in this browser.
      </p>
      <details>
        <summary>Technical details</summary>
        <dl class="facts">
          <dt>Record</dt>
          <dd>
            {record.id} (sequence {record.sequence}, sealed <When at={record.sealedAt} />)
          </dd>
          <dt>Hash</dt>
          <dd class="hash">sha256 {record.hash}</dd>
          {signal && (
            <>
              <dt>
                <Star />
                Signal
              </dt>
              <dd>{attribution?.statement ?? signal.id}</dd>
            </>
          )}
        </dl>
        <p class="note">
          Verification runs in this browser: the Record’s hash is recomputed from its bytes, its inclusion in the signed
          log is recomputed from the proof, and the signatures are checked with the public keys — not taken from the
          API’s word.
        </p>
      </details>
      <button
        type="button"
        class="primary"
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            const recordPath = { params: { path: { id: record.id } } };
            const [full, proofAnswer, jwks, logKeys] = await Promise.all([
              must(api.GET('/v1/records/{id}', recordPath)),
              api.GET('/v1/records/{id}/proof', recordPath),
              must(api.GET('/.well-known/jwks.json')),
              must(api.GET('/v1/log/keys')),
            ]);
            setResult(
              await verifyInBrowser({
                record: { ...full, id: record.id },
                proof: proofAnswer.data ?? null,
                ...(proofAnswer.data
                  ? {}
                  : { proofProblem: (proofAnswer.error as { detail?: string } | undefined)?.detail ?? 'no proof' }),
                signal,
                jwks,
                logKeys: logKeys.keys.map((k) => k.verifierKey),
              }),
            );
          })
        }
      >
        Verify {signal ? 'Record and Signal' : 'Record'} in this browser
      </button>
      <Refused error={action.error} />
      <div role="status" aria-live="polite">
        {result && (
          <>
            <p class={result.valid ? 'verdict ok' : 'verdict bad'}>
              {result.valid
                ? `✓ Verified: this record is exactly as it was sealed and is in the public log${signal ? ', and the Signal is genuine and about this record' : ''}.`
                : '✗ Not verified: something does not match; the checks below say what.'}
            </p>
            <details open={!result.valid}>
              <summary>
                The {result.checks.length} checks ({result.checks.filter((c) => c.ok).length} passed)
              </summary>
              <ul class="checks">
                {result.checks.map((c) => (
                  <li key={c.name} class={c.ok ? 'ok' : 'bad'}>
                    <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{c.name}</strong>
                    <span class="visually-hidden">{c.ok ? ' passed' : ' failed'}</span>: {c.detail}
                  </li>
                ))}
              </ul>
            </details>
          </>
        )}
      </div>
    </section>
  );
}
