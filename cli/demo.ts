/**
 * `npm run demo`: one Intake through the whole chain over HTTP against the running stack
 * (`npm start`), printing each step; ends with the workflow's Web UI link and the ⭐ Signal
 * verified with nothing but the published public key.
 */
import { randomUUID } from 'node:crypto';
import { issueToken } from '../api/auth';
import { loadConfigOrExit } from '../config';
import type { Principal } from '../domain/schemas';
import { loadAuthSecret } from '../trust/keys';
import { verifySignal } from '../trust/signal';

const config = loadConfigOrExit();
const base = process.env.API_URL ?? `http://localhost:${config.PORT}`;
const operatorId = `op-demo-${randomUUID().slice(0, 6)}`;
const people = {
  requester: { sub: `requester-${randomUUID().slice(0, 6)}`, role: 'requester' } as Principal,
  admin: { sub: 'admin-demo', role: 'admin' } as Principal,
  staff: { sub: `${operatorId}-tech`, role: 'operator', operatorId } as Principal,
};

let tokens: Record<keyof typeof people, string>;
let step = 0;

async function call(
  as: keyof typeof people | null,
  method: string,
  path: string,
  body?: unknown,
  expected = [200, 201, 202],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      'idempotency-key': randomUUID(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await res.json()) as unknown;
  if (!expected.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(payload)}`);
  return payload;
}

const say = (what: string, detail = '') =>
  process.stdout.write(`${String(++step).padStart(2)}. ${what}${detail ? `  ${detail}` : ''}\n`);

async function main(): Promise<void> {
  const secret = await loadAuthSecret(config);
  const keys = { secret, issuer: config.AUTH_JWT_ISSUER };
  tokens = {
    requester: await issueToken(keys, people.requester, '1h'),
    admin: await issueToken(keys, people.admin, '1h'),
    staff: await issueToken(keys, people.staff, '1h'),
  };
  process.stdout.write(`QTM OS demo against ${base}\n\n`);

  const submitted = await call('requester', 'POST', '/v1/requests', {
    channel: 'web',
    actor: { kind: 'person', name: 'Grace Hopper', contact: { email: 'grace@example.com' } },
    request: {
      category: 'electrical',
      summary: 'Outlet in the kitchen sparks when used',
      location: { address: '1 Compiler Way' },
    },
  });
  say(
    'Requester submitted a Request',
    `request ${submitted.requestId} → intake ${submitted.intakeId}, task ${submitted.taskId} (${submitted.task.audience} audience, ${submitted.task.status})`,
  );
  const { intakeId, taskId } = submitted;

  await call('admin', 'POST', `/v1/tasks/${taskId}/approve`, { note: 'Safety issue: priority' });
  say('Admin approved the Task');
  await call('admin', 'POST', `/v1/tasks/${taskId}/assign`, { operatorId });
  say('Admin assigned it', `to operator ${operatorId}`);
  const jobs = await call('admin', 'GET', `/v1/operators/${operatorId}/queue`);
  say('No Job exists until one is explicitly created', `queue has ${jobs.items.length} jobs`);
  const job = await call('admin', 'POST', `/v1/tasks/${taskId}/job`);
  say('Admin explicitly created the Job', `job ${job.id} (${job.status})`);

  const queue = await call('staff', 'GET', `/v1/operators/${operatorId}/queue`);
  say(
    'The Job is in the operator’s queue',
    `${queue.items.length} job(s): ${queue.items.map((j: { id: string }) => j.id).join(', ')}`,
  );
  await call('staff', 'POST', `/v1/jobs/${job.id}/claim`);
  say('Operator claimed it');
  const started = await call('staff', 'POST', `/v1/jobs/${job.id}/start`);
  const se = started.serviceEventId;
  say('Operator started it: one ServiceEvent opened', se);
  for (const stage of ['en_route', 'on_site']) {
    await call('staff', 'POST', `/v1/service-events/${se}/stage`, { stage });
    say('Stage', stage);
  }
  const evidence = [
    {
      kind: 'photo',
      description: 'Scorched outlet',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      mediaType: 'image/jpeg',
    },
    { kind: 'measurement', description: 'Insulation resistance', value: 520, unit: 'MΩ' },
    { kind: 'checklist', value: { powerIsolated: true, outletReplaced: true, tested: true } },
  ];
  for (const e of evidence) {
    const added = await call('staff', 'POST', `/v1/service-events/${se}/evidence`, e);
    say('Evidence', `${e.kind} #${added.seq}`);
  }
  await call('staff', 'POST', `/v1/service-events/${se}/complete`, {
    outcome: 'completed',
    summary: 'Outlet replaced; circuit tested safe.',
  });
  say('Operator completed the ServiceEvent', '(202: sealing follows)');

  let chain: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (let i = 0; i < 100; i += 1) {
    chain = await call('requester', 'GET', `/v1/intakes/${intakeId}`);
    if (chain.phase === 'sealed' && chain.signal) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  say('Record sealed', `record ${chain.record.id}, sequence ${chain.record.sequence}, sha256 ${chain.record.hash}`);
  const verify = await call('requester', 'GET', `/v1/records/${chain.record.id}/verify`);
  say(
    'Record verified by the API',
    `${verify.valid ? 'valid' : 'INVALID'}: ${verify.checks.map((c: { name: string; ok: boolean }) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}`).join(', ')}`,
  );

  const signal = await call(null, 'GET', `/v1/signals/${chain.signal.id}`);
  const jwks = await call(null, 'GET', '/.well-known/jwks.json');
  const checked = await verifySignal(signal.jws, jwks);
  say(
    '⭐ Signal verified offline with the public key',
    `${checked.valid ? 'valid' : 'INVALID'}: ${checked.checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}`).join(', ')}`,
  );
  process.stdout.write(`\n   "${signal.signal.credentialSubject.attribution.statement}"\n`);
  process.stdout.write(
    `\nWeb UI: ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/intake-${intakeId}\n`,
  );
  process.stdout.write(`Chain:  ${base}/v1/intakes/${intakeId} (as the requester)\n`);
  if (!verify.valid || !checked.valid) process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${(error as Error).message}\n${(error as Error).message.includes('fetch failed') ? `Is the stack running? Start it with: npm start\n` : ''}`,
  );
  process.exit(1);
});
