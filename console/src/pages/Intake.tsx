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
import { api, type Session } from '../session';
import { Confirm, Link, Loading, must, Refused, short, Star, useAction, When, words } from '../ui';
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
  'intake.created': 'Intake created',
  'task.created': 'Task created for review',
  'task.escalated': 'Escalated',
  'job.created': 'Job queued for the operator',
  'job.claimed': COMMAND_WORDS.claim,
  'service_event.opened': COMMAND_WORDS.start,
  'service_event.stage': COMMAND_WORDS.stage,
  'evidence.added': COMMAND_WORDS.evidence,
  'service_event.completed': COMMAND_WORDS.complete,
  'record.sealed': 'Record sealed',
  'signal.emitted': 'Signal emitted',
};

function describe(entry: Record<string, unknown>): string {
  const action = String(entry.action);
  const command = DECISIONS[action];
  const details = (entry.details ?? {}) as Record<string, unknown>;
  const base = command ? COMMAND_WORDS[command] : (ACTION_WORDS[action] ?? action);
  const extra =
    typeof details.operatorId === 'string' && action === 'task.assign'
      ? ` to ${details.operatorId}`
      : typeof details.stage === 'string'
        ? `: ${words(details.stage)}`
        : typeof details.toAudience === 'string'
          ? ` to the ${details.toAudience} audience (level ${String(details.toLevel ?? '')})`
          : typeof details.outcome === 'string'
            ? ` (${details.outcome})`
            : typeof details.reason === 'string'
              ? `: ${details.reason}`
              : '';
  return base + extra;
}

export function Intake({ id, session }: { id: string; session: Session }) {
  const { data: chain, error, reload } = useChain(id);
  const withdraw = useAction();

  if (!chain) return <Loading title={`Intake ${short(id)}`} error={error} />;
  const summary = String(chain.intake.summary ?? '');
  const mayWithdraw = session.principal.role === 'requester' && chain.job === null && chain.phase === 'governance';

  return (
    <main id="main">
      <h1>{summary || `Intake ${short(id)}`}</h1>
      <p>
        <span class={`phase phase-${chain.phase}`}>{chain.phase}</span> <span class="muted">Intake {id}</span>
      </p>
      <Refused error={error} />

      <section class="card" aria-labelledby="chain-heading">
        <h2 id="chain-heading">Along the chain</h2>
        <ol class="chain">
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
        {mayWithdraw && (
          <div class="actions">
            <Confirm
              label="Withdraw Request"
              title="Withdraw this Request?"
              confirmLabel="Withdraw"
              danger
              disabled={withdraw.busy}
              onConfirm={() =>
                withdraw.run(async () => {
                  await must(
                    api.POST('/v1/intakes/{id}/withdraw', {
                      params: { path: { id } },
                      body: { reason: 'withdrawn by the requester' },
                    }),
                  );
                  await reload();
                })
              }
            >
              <p>
                No Job exists yet, so the Request can still be withdrawn. The Intake then ends; this cannot be undone.
              </p>
            </Confirm>
          </div>
        )}
        <Refused error={withdraw.error} />
      </section>

      <section class="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol class="timeline" aria-label="Timeline, oldest first">
          {chain.history.map((entry, i) => {
            const by = (entry.by ?? {}) as { sub?: string; role?: string };
            return (
              <li key={i}>
                <strong>
                  {entry.action === 'signal.emitted' && <Star />}
                  {describe(entry)}
                </strong>
                <div class="muted">
                  <When at={String(entry.at)} /> · {by.role === 'system' ? 'the system' : `${by.sub} (${by.role})`}
                </div>
              </li>
            );
          })}
        </ol>
      </section>

      {chain.serviceEvent && (
        <section class="card" aria-labelledby="work-heading">
          <h2 id="work-heading">The work</h2>
          <p>
            Stage: <strong>{chain.serviceEvent.stage ? words(chain.serviceEvent.stage) : 'started'}</strong>
            {chain.serviceEvent.outcome && (
              <>
                {' '}
                · outcome <strong>{chain.serviceEvent.outcome}</strong>: {chain.serviceEvent.summary}
              </>
            )}
          </p>
          <EvidenceList evidence={chain.serviceEvent.evidence} />
        </section>
      )}

      {chain.record && <SealedRecord record={chain.record} signal={chain.signal} />}
      {session.principal.role !== 'requester' && chain.task && (
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
        Sealed Record{signal ? ' and ' : ''}
        {signal && (
          <>
            <Star />
            Signal
          </>
        )}
      </h2>
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
        Verification runs here, in this browser: the Record’s hash is recomputed from its bytes, its inclusion in the
        signed log is recomputed from the proof, and the signatures are checked with the public keys — not taken from
        the API’s word.
      </p>
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
              {result.valid ? '✓ Verified' : '✗ Not verified'}: {result.checks.filter((c) => c.ok).length} of{' '}
              {result.checks.length} checks passed
            </p>
            <ul class="checks">
              {result.checks.map((c) => (
                <li key={c.name} class={c.ok ? 'ok' : 'bad'}>
                  <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{c.name}</strong>
                  <span class="visually-hidden">{c.ok ? ' passed' : ' failed'}</span>: {c.detail}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
