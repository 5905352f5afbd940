/**
 * Sealed lifecycles in bulk, in SQL: every row a real lifecycle leaves (actor, request, intake,
 * task, 3 decisions, job, service event, 3 evidence, record, signal, 14 audit lines), generated
 * server-side with generate_series. Ids are made of md5(kind:n) so the benchmark can name any of them
 * without reading them back. Runs as the owner with session_replication_role = replica: foreign
 * key triggers are skipped (the rows are consistent by construction) and nothing else changes.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export type SeedStage = 'pending' | 'queued' | 'sealed';

/** md5(`kind:n`) shaped as a version-4 UUID (the API's validation wants the version and variant bits), as the SQL below makes it. */
export function seededId(kind: string, n: number): string {
  const h = createHash('md5').update(`${kind}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const uuidOf = (text: string) =>
  `(SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12))::uuid FROM md5(${text}) AS h)`;

export const SEED_OPERATORS = 50;
export const seededOperator = (n: number) => `op-read-${n % SEED_OPERATORS}`;

const id = (kind: string) => uuidOf(`'${kind}:' || n`);
const op = `'op-read-' || (n % ${SEED_OPERATORS})`;
const audience = `CASE WHEN n % 2 = 0 THEN 'admin' ELSE 'operator' END`;

/** One statement per table; `n` runs over [from, to); `at` is each lifecycle's first moment. */
function statements(stage: SeedStage, from: number, to: number, at: string): string[] {
  const series = `FROM generate_series(${from}::bigint, ${to - 1}::bigint) AS n`;
  const t = (seconds: number) => `(${at} + interval '${seconds} seconds')`;
  const phase = stage === 'sealed' ? 'sealed' : stage === 'queued' ? 'queued' : 'governance';
  const out = [
    `INSERT INTO actors (id, kind, name, created_at) SELECT ${id('actor')}, 'business', 'Seed customer ' || n, ${t(0)} ${series}`,
    `INSERT INTO requests (id, actor_id, channel, payload, payload_sha256, submitted_by_sub, submitted_by_role, received_at)
     SELECT ${id('request')}, ${id('actor')}, 'api',
       jsonb_build_object('channel', 'api', 'actor', jsonb_build_object('kind', 'business', 'name', 'Seed customer ' || n), 'request', jsonb_build_object('category', 'maintenance', 'summary', 'Seeded lifecycle ' || n)),
       md5('payload:' || n) || md5('payload2:' || n), 'seed-admin', 'admin', ${t(0)} ${series}`,
    `INSERT INTO intakes (id, request_id, actor_id, category, summary, operator_id, requester_sub, requester_role, workflow_id, run_id, phase, version, created_at, updated_at)
     SELECT ${id('intake')}, ${id('request')}, ${id('actor')}, 'maintenance', 'Seeded lifecycle ' || n, CASE WHEN n % 2 = 0 THEN NULL ELSE ${op} END,
       'seed-admin', 'admin', 'intake-' || ${id('intake')}, md5('run:' || n)::uuid::text, '${phase}', 14, ${t(0)}, ${t(900)} ${series}`,
    `INSERT INTO tasks (id, intake_id, audience, audience_operator_id, status, assignee_operator_id, escalation_level, stale_since, version, created_at, updated_at)
     SELECT ${id('task')}, ${id('intake')}, ${audience}, CASE WHEN n % 2 = 0 THEN NULL ELSE ${op} END,
       '${stage === 'pending' ? 'pending' : 'job_created'}', ${stage === 'pending' ? 'NULL' : op}, 0, ${t(60)}, 4, ${t(0)}, ${t(60)} ${series}`,
  ];
  if (stage === 'pending') return out;
  out.push(
    `INSERT INTO task_decisions (id, task_id, intake_id, kind, audience, principal_sub, principal_role, details, decided_at)
     SELECT ${uuidOf(`'decision:' || k.kind || ':' || n`)}, ${id('task')}, ${id('intake')}, k.kind, ${audience}, 'seed-admin', 'admin', '{}'::jsonb, ${at} + k.i * interval '20 seconds'
     ${series} CROSS JOIN (VALUES ('approve', 1), ('assign', 2), ('create_job', 3)) AS k(kind, i)`,
    `INSERT INTO jobs (id, task_id, intake_id, operator_id, status, created_by_sub, created_by_role, claimed_by_sub, claimed_at, started_at, finished_at, version, created_at, updated_at)
     SELECT ${id('job')}, ${id('task')}, ${id('intake')}, ${op}, '${stage === 'sealed' ? 'completed' : 'queued'}', 'seed-admin', 'admin',
       ${stage === 'sealed' ? `${op} || '-tech', ${t(120)}, ${t(180)}, ${t(800)}` : 'NULL, NULL, NULL, NULL'}, 5, ${t(60)}, ${t(60)} ${series}`,
  );
  if (stage === 'queued') return out;
  out.push(
    `INSERT INTO service_events (id, job_id, intake_id, operator_id, status, stage, stage_history, outcome, summary, opened_by_sub, opened_at, closed_by_sub, closed_at, version)
     SELECT ${id('se')}, ${id('job')}, ${id('intake')}, ${op}, 'closed', 'on_site',
       jsonb_build_array(jsonb_build_object('stage', 'en_route', 'at', ${t(200)}, 'by', ${op} || '-tech'), jsonb_build_object('stage', 'on_site', 'at', ${t(300)}, 'by', ${op} || '-tech')),
       'completed', 'Seeded work done', ${op} || '-tech', ${t(180)}, ${op} || '-tech', ${t(800)}, 12 ${series}`,
    `INSERT INTO evidence (id, service_event_id, seq, kind, description, recorded_by_sub, recorded_at)
     SELECT ${uuidOf(`'evidence:' || e.seq || ':' || n`)}, ${id('se')}, e.seq, e.kind, 'seeded evidence', ${op} || '-tech', ${at} + (300 + e.seq * 100) * interval '1 second'
     ${series} CROSS JOIN (VALUES (1, 'note'), (2, 'measurement'), (3, 'photo')) AS e(seq, kind)`,
    `INSERT INTO records (id, service_event_id, job_id, intake_id, operator_id, outcome, sequence, hash, prev_hash, canonical, sealed_at)
     SELECT ${id('record')}, ${id('se')}, ${id('job')}, ${id('intake')}, ${op}, 'completed', n, encode(sha256(doc), 'hex'), NULL, doc, ${t(810)}
     FROM (SELECT n, convert_to(jsonb_build_object('type', 'qtm.record/v2', 'recordId', ${id('record')}, 'sequence', n, 'chain', jsonb_build_object('intakeId', ${id('intake')}), 'outcome', jsonb_build_object('status', 'completed'))::text, 'UTF8') AS doc ${series}) AS s`,
    `INSERT INTO signals (id, record_id, job_id, service_event_id, intake_id, operator_id, document, jws, issued_at)
     SELECT ${id('signal')}, ${id('record')}, ${id('job')}, ${id('se')}, ${id('intake')}, ${op}, jsonb_build_object('type', jsonb_build_array('VerifiableCredential', 'QtmServiceAttribution')), 'seeded.jws.' || n, ${t(820)} ${series}`,
    `INSERT INTO audit_log (intake_id, entity, entity_id, action, principal_sub, principal_role, details, at, dedupe_key)
     SELECT ${id('intake')}, a.entity, ${id('intake')}, a.action, 'seed-admin', 'admin', '{}'::jsonb, ${at} + a.i * interval '60 seconds', 'seed:' || n || ':' || a.i
     ${series} CROSS JOIN (VALUES (1, 'request', 'request.received'), (2, 'intake', 'intake.created'), (3, 'task', 'task.created'), (4, 'task', 'task.approve'), (5, 'task', 'task.assign'),
       (6, 'job', 'job.created'), (7, 'job', 'job.claimed'), (8, 'service_event', 'service_event.opened'), (9, 'service_event', 'service_event.stage'), (10, 'service_event', 'service_event.stage'),
       (11, 'evidence', 'evidence.added'), (12, 'evidence', 'evidence.added'), (13, 'evidence', 'evidence.added'), (14, 'record', 'record.sealed')) AS a(i, entity, action)`,
  );
  return out;
}

/**
 * Lifecycles n in [from, to) at `stage`, in batches; lifecycle n starts `spacingSeconds`·n after
 * `origin`, so lists ordered by time have a stable order.
 */
export async function seedLifecycles(
  owner: Knex,
  stage: SeedStage,
  from: number,
  to: number,
  origin: Date,
  spacingSeconds = 10,
): Promise<void> {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || !Number.isSafeInteger(spacingSeconds))
    throw new Error('seed: bounds must be integers');
  // Only numbers and an ISO time of our own are spliced into the SQL.
  const at = `('${origin.toISOString()}'::timestamptz + n * interval '${spacingSeconds} seconds')`;
  for (let start = from; start < to; start += 20_000) {
    const end = Math.min(start + 20_000, to);
    await owner.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      for (const sql of statements(stage, start, end, at)) await trx.raw(sql);
    });
  }
}
