/**
 * One Job for its operator: claim, start, then the ServiceEvent — stages, evidence (a note, a photo
 * taken with the phone's camera, or any file), and completion with its outcome. Files are uploaded
 * first (POST /v1/service-events/:id/evidence/files, with the SHA-256 computed here so that the
 * server refuses bytes that changed on the way) and then referenced by an evidence entry.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../../client';
import type { Ending } from '../../../client/lifecycle';
import { askedFor, useChain } from '../chain';
import { EvidenceList } from '../evidence';
import { RequestFacts, stageSay, useOperatorName } from '../facts';
import { api, type Session } from '../session';
import {
  ActForm,
  Confirm,
  Link,
  Loading,
  must,
  PageHeading,
  Refused,
  short,
  Status,
  useAction,
  usePoll,
  When,
  Why,
  type Refusal,
} from '../ui';

type Stage = Schemas['StageChange']['stage'];
const STAGES: Stage[] = ['en_route', 'on_site', 'in_progress', 'wrapping_up'];
const OUTCOMES: Array<Extract<Ending, 'completed' | 'failed'>> = ['completed', 'failed'];

async function sha256Hex(file: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function Job({ id, session }: { id: string; session: Session }) {
  const { data: job, error, reload } = usePoll(() => must(api.GET('/v1/jobs/{id}', { params: { path: { id } } })), id);
  const seId = job?.serviceEventId ?? null;
  const { data: se, reload: reloadSe } = usePoll(
    () =>
      seId ? must(api.GET('/v1/service-events/{id}', { params: { path: { id: seId } } })) : Promise.resolve(undefined),
    seId ?? '',
  );
  const { data: chain, reload: reloadChain } = useChain(job?.intakeId);
  const action = useAction({ refresh: () => Promise.all([reload(), reloadSe(), reloadChain()]) });
  const operatorName = useOperatorName();

  if (!job) return <Loading title={`Job ${short(id)}`} error={error} />;
  const jobPath = { params: { path: { id } } };
  const mine = job.claimedBy === session.principal.sub;
  const isStaff = session.principal.role === 'operator' && session.principal.operatorId === job.operatorId;
  const title = chain ? askedFor(chain) : `Job ${short(job.id)}`;

  /** A claim that came second, said from what is true now (the page has just read the Job again). */
  const explainClaim = async (refusal: Refusal) => {
    const now = await must(api.GET('/v1/jobs/{id}', jobPath)).catch(() => null);
    if (now?.claimedBy && now.claimedBy !== session.principal.sub)
      return `Not claimed: ${now.claimedBy} claimed this Job first, so it is theirs now.`;
    return refusal.message;
  };

  return (
    <main id="main">
      <PageHeading title={title} />
      <p>
        <Status of={job.status} />{' '}
        <span class="muted">
          for {operatorName(job.operatorId)}
          {job.claimedBy && ` · claimed by ${job.claimedBy === session.principal.sub ? 'you' : job.claimedBy}`}
        </span>
      </p>
      <Refused error={error} />
      <Refused error={action.error} />

      {isStaff && job.status === 'queued' && (
        <div class="act">
          <button
            key="claim"
            type="button"
            class="primary"
            disabled={action.busy}
            aria-describedby="claim-what"
            onClick={() =>
              void action.run(() => must(api.POST('/v1/jobs/{id}/claim', { ...jobPath, body: {} })), explainClaim)
            }
          >
            Claim Job
          </button>
          <p id="claim-what" class="why">
            Claiming makes it yours: only you can then start it.
          </p>
        </div>
      )}
      {isStaff && job.status === 'claimed' && mine && (
        <div class="act">
          <button
            key="start"
            type="button"
            class="primary"
            disabled={action.busy}
            onClick={() => void action.run(() => must(api.POST('/v1/jobs/{id}/start', { ...jobPath, body: {} })))}
          >
            Start work
          </button>
        </div>
      )}
      {job.status === 'claimed' && !mine && <p class="why">Claimed by {job.claimedBy}: only they can start it.</p>}

      {chain ? <RequestFacts chain={chain} heading="The job" /> : <p aria-busy="true">Reading the request…</p>}
      {se && <ServiceEvent se={se} busy={action.busy} act={(work) => action.run(work)} mayAct={isStaff} />}
      <p>
        <Link href="/queue">Back to your jobs</Link> ·{' '}
        <Link href={`/intakes/${job.intakeId}`}>The request’s whole history</Link>
      </p>
    </main>
  );
}

function ServiceEvent(props: {
  se: Schemas['ServiceEvent'];
  busy: boolean;
  act: (work: () => Promise<unknown>) => Promise<boolean>;
  mayAct: boolean;
}) {
  const { se, busy, act } = props;
  const sePath = { params: { path: { id: se.id } } };
  const later = STAGES.slice(se.stage ? STAGES.indexOf(se.stage) + 1 : 0);
  const [stage, setStage] = useState<Stage | ''>('');
  const [noteText, setNoteText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const [description, setDescription] = useState('');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('completed');
  const [summary, setSummary] = useState('');
  const open = se.status === 'open' && props.mayAct;
  const chosenStage = stage && later.includes(stage) ? stage : (later[0] ?? '');

  return (
    <>
      <section class="card" aria-labelledby="stage-heading">
        <h2 id="stage-heading">Stage</h2>
        <p>
          {se.status === 'open' ? (
            <>
              Now: <strong>{stageSay(se.stage)}</strong> (started <When at={se.openedAt} />)
            </>
          ) : (
            <>
              Finished <When at={se.closedAt} /> (started <When at={se.openedAt} />)
            </>
          )}
        </p>
        {open && later.length > 0 && (
          <ActForm
            onSubmit={() =>
              chosenStage &&
              act(() => must(api.POST('/v1/service-events/{id}/stage', { ...sePath, body: { stage: chosenStage } })))
            }
          >
            <label>
              Next stage
              <select value={chosenStage} onChange={(e) => setStage(e.currentTarget.value as Stage)}>
                {later.map((s) => (
                  <option key={s} value={s}>
                    {stageSay(s)}
                  </option>
                ))}
              </select>
            </label>
            <button class="primary" disabled={busy}>
              Move to stage
            </button>
          </ActForm>
        )}
        {se.stageHistory.length > 0 && (
          <ol class="timeline" aria-label="Stage history">
            {se.stageHistory.map((h, i) => (
              <li key={i}>
                {stageSay(h.stage)}{' '}
                <span class="muted">
                  by {h.by}, <When at={h.at} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section class="card" aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Evidence</h2>
        {open && (
          <>
            <ActForm
              onSubmit={() =>
                file &&
                act(async () => {
                  const sha256 = await sha256Hex(file);
                  const stored = await must(
                    api.POST('/v1/service-events/{id}/evidence/files', {
                      params: { path: { id: se.id }, query: { sha256 } },
                      // The body is the file itself, sent as it is with its media type.
                      body: file as unknown as string,
                      bodySerializer: (body: unknown) => body as string,
                      headers: { 'content-type': file.type || 'application/octet-stream' },
                    }),
                  );
                  await must(
                    api.POST('/v1/service-events/{id}/evidence', {
                      ...sePath,
                      body: {
                        kind: file.type.startsWith('image/') ? 'photo' : 'document',
                        sha256: stored.sha256,
                        mediaType: stored.mediaType,
                        ...(description.trim() ? { description: description.trim() } : {}),
                        capturedAt: new Date(file.lastModified || Date.now()).toISOString(),
                      },
                    }),
                  );
                  setFile(null);
                  setDescription('');
                  setFileInputKey((k) => k + 1);
                })
              }
            >
              <label>
                Photo (opens the camera on a phone)
                <input
                  key={`photo-${fileInputKey}`}
                  name="photo"
                  type="file"
                  accept="image/*"
                  capture="environment"
                  onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
                />
              </label>
              <label>
                Or any file
                <input
                  key={`file-${fileInputKey}`}
                  name="file"
                  type="file"
                  onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
                />
              </label>
              <label>
                What it shows (optional)
                <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
              </label>
              <Why id="upload-why" reason={file ? null : 'Choose a photo or a file first.'} />
              <button class="primary" disabled={busy || !file} aria-describedby="upload-why">
                Upload evidence
              </button>
            </ActForm>
            <ActForm
              onSubmit={() =>
                act(async () => {
                  await must(
                    api.POST('/v1/service-events/{id}/evidence', {
                      ...sePath,
                      body: { kind: 'note', description: noteText.trim() },
                    }),
                  );
                  setNoteText('');
                })
              }
            >
              <label>
                Note
                <input name="note" required value={noteText} onInput={(e) => setNoteText(e.currentTarget.value)} />
              </label>
              <button disabled={busy}>Add note</button>
            </ActForm>
          </>
        )}
        <EvidenceList evidence={se.evidence} />
      </section>

      <section class="card" aria-labelledby="complete-heading">
        <h2 id="complete-heading">Completion</h2>
        {se.status === 'closed' ? (
          <p>
            <strong>{se.outcome === 'completed' ? 'Done' : 'Could not be done'}</strong>, <When at={se.closedAt} />: “
            {se.summary}” — the requester has been told, and the record of the work is sealed.
          </p>
        ) : !open ? (
          <p class="why">Only the operator’s team can finish this work.</p>
        ) : (
          <ActForm>
            <fieldset>
              <legend>Outcome</legend>
              {OUTCOMES.map((o) => (
                <label class="choice" key={o}>
                  <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                  <span>{o === 'completed' ? 'Done' : 'Could not be done'}</span>
                </label>
              ))}
            </fieldset>
            <label>
              Summary of the work
              <textarea name="summary" rows={2} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
            </label>
            <Why id="complete-why" reason={summary.trim() === '' ? 'Say what was done first.' : null} />
            <Confirm
              label="Finish the job"
              title="Finish this job?"
              confirmLabel={outcome === 'completed' ? 'Finish: done' : 'Finish: could not be done'}
              describedBy="complete-why"
              disabled={busy || summary.trim() === ''}
              onConfirm={() =>
                act(() =>
                  must(
                    api.POST('/v1/service-events/{id}/complete', {
                      ...sePath,
                      body: { outcome, summary: summary.trim() },
                    }),
                  ),
                )
              }
            >
              <p>
                The requester is told the work is <strong>{outcome === 'completed' ? 'done' : 'not done'}</strong>, with
                your summary and the photos. Nothing can be added afterwards.
              </p>
            </Confirm>
          </ActForm>
        )}
      </section>
    </>
  );
}
