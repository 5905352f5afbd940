/**
 * `npm run demo`: one Intake through the whole chain over HTTP against the running stack
 * (`npm start`), with the typed client's lifecycle driver, printing each step; ends with the
 * workflow's Web UI link and the ⭐ Signal verified with nothing but the published public key.
 */
import { randomUUID } from 'node:crypto';
import { createAuthKeys, issueToken } from '../api/auth';
import { qtmClient, reasonOf } from '../client';
import { awaitEnd, driveLifecycle, type CommandName } from '../client/lifecycle';
import { registerOperators } from '../client/operators';
import { loadConfigOrExit } from '../config';
import type { Principal } from '../domain/schemas';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-events';
import { startWebhookReceiver } from '../adapters/webhook-receiver';
import { loadAuthSecret } from '../trust/keys';
import { verifySignal } from '../trust/signal';

const config = loadConfigOrExit();
const baseUrl = process.env.API_URL ?? `http://localhost:${config.PORT}`;
const operatorId = `op-demo-${randomUUID().slice(0, 6)}`;
const people: Record<'requester' | 'admin' | 'staff', Principal> = {
  requester: { sub: `requester-${randomUUID().slice(0, 6)}`, role: 'requester' },
  admin: { sub: 'admin-demo', role: 'admin' },
  staff: { sub: `${operatorId}-tech`, role: 'operator', operatorId },
};

let step = 0;
const say = (what: string, detail = ''): void => {
  process.stdout.write(`${String(++step).padStart(2)}. ${what}${detail ? `  ${detail}` : ''}\n`);
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

async function main(): Promise<void> {
  const keys = createAuthKeys(config, await loadAuthSecret(config));
  const as = (p: Principal) => {
    const token = issueToken(keys, p, '1h');
    return qtmClient({ baseUrl, token: () => token });
  };
  const [requester, admin, staff, anyone] = [
    as(people.requester),
    as(people.admin),
    as(people.staff),
    qtmClient({ baseUrl }),
  ];
  process.stdout.write(`QTM OS demo against ${baseUrl}\n\n`);

  // A subscriber of our own: every event of this lifecycle arrives signed (Standard Webhooks) and is verified here.
  const receiver = await startWebhookReceiver({
    onEvent: (e) => say(`Webhook ${e.type} received, signature verified`, `${e.subject} (webhook-id ${e.webhookId})`),
  });
  const {
    data: hook,
    error,
    response,
  } = await admin.POST('/v1/webhooks', {
    body: { url: receiver.url, eventTypes: [...WEBHOOK_EVENT_TYPES] },
  });
  if (!hook) throw new Error(`webhook subscription: ${reasonOf(error, response)}`);
  receiver.trust(hook.secret);
  // Work goes only to known operators: the admin registers this one first.
  await registerOperators(admin, [
    { id: operatorId, displayName: 'Demo Electrical Services', categories: ['electrical', 'appliance_repair'] },
  ]);
  say('Admin registered the operator', `${operatorId} (Demo Electrical Services)`);

  const queueSize = async () =>
    (await admin.GET('/v1/operators/{operatorId}/queue', { params: { path: { operatorId } } })).data?.items.length ?? 0;
  const narrate: Record<CommandName, (answer: Any) => Promise<void> | void> = {
    submit: (s) =>
      say(
        'Requester submitted a Request',
        `request ${s.requestId} → intake ${s.intakeId}, task ${s.taskId} (${s.task.audience} audience, ${s.task.status})`,
      ),
    approve: () => say('Admin approved the Task'),
    assign: async () => {
      say('Admin assigned it', `to operator ${operatorId}`);
      say('No Job exists until one is explicitly created', `queue has ${await queueSize()} jobs`);
    },
    createJob: async (job) => {
      say('Admin explicitly created the Job', `job ${job.id} (${job.status})`);
      say('The Job is in the operator’s queue', `${await queueSize()} job(s)`);
    },
    claim: () => say('Operator claimed it'),
    start: (se) => say('Operator started it: one ServiceEvent opened', se.serviceEventId),
    stage: (se) => say('Stage', se.stage),
    evidence: (added) => say('Evidence', `#${added.seq}`),
    complete: () => say('Operator completed the ServiceEvent', '(202: sealing follows)'),
    reject: () => undefined,
    withdraw: () => undefined,
  };
  const { intakeId } = await driveLifecycle(
    { requester, governor: admin, staff },
    {
      body: {
        channel: 'web',
        actor: { kind: 'person', name: 'Grace Hopper', contact: { email: 'grace@example.com' } },
        request: {
          category: 'electrical',
          summary: 'Outlet in the kitchen sparks when used',
          location: { address: '1 Compiler Way' },
        },
      },
      operatorId,
      evidence: [
        {
          kind: 'photo',
          description: 'Scorched outlet',
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          mediaType: 'image/jpeg',
        },
        { kind: 'measurement', description: 'Insulation resistance', value: 520, unit: 'MΩ' },
        { kind: 'checklist', value: { powerIsolated: true, outletReplaced: true, tested: true } },
      ],
      summary: 'Outlet replaced; circuit tested safe.',
    },
    { onStep: (command, _ms, answer) => narrate[command](answer) },
  );

  const chain = await awaitEnd(requester, intakeId, 30_000);
  await receiver.waitFor(
    (events) => events.some((e) => e.type === 'signal.emitted' && e.data.intakeId === intakeId),
    30_000,
  );
  // The subscription ends with the demo: later lifecycles must not retry a closed port for a day.
  await admin.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.id } } });
  await receiver.stop();
  const rejected = receiver.rejected.length;
  say('Webhooks', `${receiver.events.length} events received, each signature verified; ${rejected} rejected`);
  const record = chain.record!;
  say('Record sealed', `record ${record.id}, sequence ${record.sequence}, sha256 ${record.hash}`);
  const verify = (await requester.GET('/v1/records/{id}/verify', { params: { path: { id: record.id } } })).data!;
  const checks = (list: Array<{ name: string; ok: boolean }>) =>
    list.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}`).join(', ');
  say('Record verified by the API', `${verify.valid ? 'valid' : 'INVALID'}: ${checks(verify.checks)}`);

  const signal = (await anyone.GET('/v1/signals/{id}', { params: { path: { id: chain.signal!.id as string } } })).data!;
  const jwks = (await anyone.GET('/.well-known/jwks.json')).data!;
  const checked = await verifySignal(signal.jws, jwks as Any);
  say(
    '⭐ Signal verified offline with the public key',
    `${checked.valid ? 'valid' : 'INVALID'}: ${checks(checked.checks)}`,
  );
  process.stdout.write(`\n   "${(signal.signal as Any).credentialSubject.attribution.statement}"\n`);
  process.stdout.write(
    `\nWeb UI: ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/intake-${intakeId}\n`,
  );
  process.stdout.write(`Chain:  ${baseUrl}/v1/intakes/${intakeId} (as the requester)\n`);
  if (!verify.valid || !checked.valid || rejected > 0) process.exit(1);
}

main().catch((error: unknown) => {
  const message = (error as Error).message;
  const hint = message.includes('fetch failed') ? 'Is the stack running? Start it with: npm start\n' : '';
  process.stderr.write(`demo failed: ${message}\n${hint}`);
  process.exit(1);
});
