/**
 * The pure parts of webhooks, beside the end-to-end tests: which audit actions are events and
 * what they carry, the SSRF rules (with a stand-in resolver, and at the socket with a real local
 * receiver), Standard Webhooks signatures checked by the same package receivers use, secrets
 * sealed at rest, and the retry schedule the delivery log mirrors.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { nextAttemptAt } from '../../activities/webhooks';
import { loadConfig } from '../../config';
import {
  cloudEventSchema,
  eventTypeOfAction,
  webhookEventOf,
  WEBHOOK_EVENT_TYPES,
  type AuditFact,
  type ChainIds,
  type WebhookEventType,
} from '../../domain/webhook-events';
import { cloudEventBody } from '../../adapters/webhook-cloudevent';
import { postWebhook, webhookHeaders } from '../../adapters/webhook-http';
import { startWebhookReceiver } from '../../adapters/webhook-receiver';
import { createSecretBox, newWebhookSecret } from '../../adapters/webhook-secrets';
import { checkWebhookUrl, isAllowlisted, refusalOf, WebhookUrlRefused } from '../../adapters/webhook-url';

const chain: ChainIds = {
  requestId: randomUUID(),
  intakeOperatorId: null,
  taskId: randomUUID(),
  jobId: randomUUID(),
  jobOperatorId: 'op-1',
  serviceEventId: randomUUID(),
};
const fact = (action: string, overrides: Partial<AuditFact> = {}): AuditFact => ({
  auditId: 42,
  intakeId: randomUUID(),
  entityId: randomUUID(),
  action,
  by: { sub: 'admin-1', role: 'admin', operatorId: null },
  details: {},
  at: '2026-12-01T10:00:00.123456Z',
  ...overrides,
});

describe('audit actions → events', () => {
  // The contract check: which action publishes which event, written out here once.
  const published: Record<string, WebhookEventType> = {
    'intake.created': 'intake.submitted',
    'task.approve': 'task.decided',
    'task.reject': 'task.decided',
    'task.assign': 'task.decided',
    'task.withdraw': 'task.decided',
    'task.escalated': 'task.escalated',
    'job.created': 'job.created',
    'job.claimed': 'job.claimed',
    'service_event.completed': 'service_event.completed',
    'record.sealed': 'record.sealed',
    'signal.emitted': 'signal.emitted',
    'actor.erased': 'actor.erased',
  };

  test('the published actions, and nothing else', () => {
    for (const [action, type] of Object.entries(published))
      expect({ action, type: eventTypeOfAction(action) }).toEqual({ action, type });
    for (const action of [
      'request.received',
      'task.created',
      'service_event.opened',
      'service_event.stage',
      'evidence.added',
    ])
      expect({ action, type: eventTypeOfAction(action) }).toEqual({ action, type: null });
    expect(new Set(Object.values(published))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
  });

  test('every type makes a valid CloudEvent with absolute links; an event names only what existed at its fact', () => {
    const details: Record<string, Record<string, unknown>> = {
      'task.escalated': { from: 'operator/0', to: 'admin/1', reason: 'stale' },
      'job.created': { taskId: chain.taskId, operatorId: 'op-1' },
      'service_event.completed': { outcome: 'completed' },
      'record.sealed': { sequence: 7, hash: 'ab'.repeat(32) },
      'signal.emitted': { recordId: randomUUID() },
      'actor.erased': { reason: 'data_subject_request' },
    };
    // One action of each event type, the first that publishes it.
    const actions = WEBHOOK_EVENT_TYPES.map((type) => Object.keys(published).find((a) => published[a] === type)!);
    for (const action of actions) {
      const draft = webhookEventOf(fact(action, { details: details[action] ?? {} }), chain, 'https://qtm.example/')!;
      const id = randomUUID();
      const parsed = cloudEventSchema(draft.type).safeParse(JSON.parse(cloudEventBody(id, draft)));
      expect({ action, issues: parsed.error?.issues ?? [] }).toEqual({ action, issues: [] });
      expect(String(draft.data.link)).toMatch(/^https:\/\/qtm\.example\/v1\/[a-z-]+\/[0-9a-f-]{36}$/);
      expect(draft.sequence).toBe('00000000000000000042');
    }
    const created = webhookEventOf(fact('job.created'), chain, 'https://qtm.example')!;
    expect(created.data).not.toHaveProperty('serviceEventId');
    expect(created.data).not.toHaveProperty('recordId');
    expect(webhookEventOf(fact('evidence.added'), chain, 'https://qtm.example')).toBeNull();
  });
});

describe('SSRF rules', () => {
  test('only public unicast addresses pass', () => {
    for (const address of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      'fe80::1',
      'fc00::1',
      'fd12::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
      '::',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
    ])
      expect({ address, refused: refusalOf(address) !== null }).toEqual({ address, refused: true });
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      expect({ address, refusal: refusalOf(address) }).toEqual({ address, refusal: null });
  });

  test('the allowlist names hosts as written: names by name, IPs and CIDR ranges by IP literal', () => {
    const allowed = ['hooks.internal', '127.0.0.1', '10.0.0.0/8', '::1'];
    expect(isAllowlisted('hooks.internal', allowed)).toBe(true);
    expect(isAllowlisted('HOOKS.INTERNAL', allowed)).toBe(true);
    expect(isAllowlisted('other.internal', allowed)).toBe(false);
    expect(isAllowlisted('127.0.0.1', allowed)).toBe(true);
    expect(isAllowlisted('127.0.0.2', allowed)).toBe(false);
    expect(isAllowlisted('10.200.3.4', allowed)).toBe(true);
    expect(isAllowlisted('11.0.0.1', allowed)).toBe(false);
    expect(isAllowlisted('[::1]', allowed)).toBe(true);
    expect(isAllowlisted('localhost', allowed)).toBe(false);
  });

  test('a name is refused if any address it resolves to is not public, unless the name is allowlisted', async () => {
    const resolver = (map: Record<string, string[]>) => async (host: string) => map[host] ?? [];
    const lookup = resolver({
      'public.example': ['93.184.216.34'],
      'mixed.example': ['93.184.216.34', '10.0.0.7'],
      'inside.example': ['10.1.1.1'],
    });
    await expect(checkWebhookUrl('https://public.example/hooks', [], lookup)).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('https://mixed.example/hooks', [], lookup)).rejects.toThrow(
      'host mixed.example resolves to a private address (10.0.0.7)',
    );
    await expect(checkWebhookUrl('https://inside.example/hooks', ['10.0.0.0/8'], lookup)).rejects.toThrow(
      WebhookUrlRefused,
    );
    await expect(checkWebhookUrl('https://inside.example/hooks', ['inside.example'], lookup)).resolves.toBeInstanceOf(
      URL,
    );
    await expect(checkWebhookUrl('https://nowhere.example/hooks', [], lookup)).rejects.toThrow('does not resolve');
  });

  test('at delivery the check is in the socket’s own lookup: a name that now resolves to loopback is never connected to', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const port = new URL(receiver.url).port;
      const rebound = async () => ['127.0.0.1'];
      const url = new URL(`http://rebind.example:${port}/webhooks`);
      const attempt = (allowed: string[]) =>
        postWebhook(url, { 'content-type': 'application/json' }, '{}', {
          timeoutMs: 2_000,
          allowedHosts: allowed,
          lookup: rebound,
        });
      await expect(attempt(['127.0.0.1'])).rejects.toThrow(
        'host rebind.example resolves to a loopback address (127.0.0.1)',
      );
      expect(receiver.refused + receiver.rejected.length + receiver.events.length).toBe(0);
      // Allowlisted by name, the same lookup connects (the receiver answers 401: the request is unsigned).
      await expect(attempt(['rebind.example'])).resolves.toMatchObject({ status: 401 });
      expect(receiver.rejected).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });
});

describe('Standard Webhooks signatures (verified by the standardwebhooks package)', () => {
  const id = randomUUID();
  const body = JSON.stringify({ specversion: '1.0', id, type: 'job.created' });

  test('one signature per secret: each secret of a rotation verifies alone; a wrong one, a changed body or id do not', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders(id, body, [newSecret, oldSecret], new Date());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(newSecret).verify(body, headers)).toMatchObject({ id });
    expect(new Webhook(oldSecret).verify(body, headers)).toMatchObject({ id });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(newSecret).verify(body.replace('job.created', 'job.claimed'), headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers, 'webhook-id': randomUUID() })).toThrow();
    const single = webhookHeaders(id, body, [newSecret], new Date());
    expect(() => new Webhook(oldSecret).verify(body, single)).toThrow('No matching signature found');
  });

  test('a stale timestamp is refused by the receiver’s package (replays)', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders(id, body, [secret], new Date(Date.now() - 10 * 60_000));
    expect(() => new Webhook(secret).verify(body, headers)).toThrow('Message timestamp too old');
  });
});

describe('secrets at rest', () => {
  const tokenSecret = new Uint8Array(randomBytes(48));

  test('sealed with AES-GCM, bound to the subscription, opened only by the same key', () => {
    const box = createSecretBox({}, tokenSecret);
    const secret = newWebhookSecret();
    const id = randomUUID();
    const sealed = box.seal(secret, id);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.seal(secret, id)).not.toBe(sealed); // a fresh nonce each time
    expect(box.open(sealed, id)).toBe(secret);
    // The same derived key in another process (API and worker share the token secret).
    expect(createSecretBox({}, tokenSecret).open(sealed, id)).toBe(secret);
    expect(() => box.open(sealed, randomUUID())).toThrow('does not open');
    const [v, kid, iv, ct, tag] = sealed.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([v, kid, iv, flipped.toString('base64url'), tag].join('.'), id)).toThrow('does not open');
    const own = createSecretBox({ WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64') }, tokenSecret);
    expect(() => own.open(sealed, id)).toThrow(/sealed under key [0-9a-f]{8}, not this process's key/);
  });
});

test('the next attempt mirrors Temporal’s back-off, and is null once the budget would be spent', () => {
  const retry = { initialIntervalMs: 1_000, maximumIntervalMs: 8_000, retryForMs: 60_000, attemptTimeoutMs: 500 };
  const start = 1_000_000;
  expect(nextAttemptAt(retry, 1, start, start)!.getTime()).toBe(start + 1_000);
  expect(nextAttemptAt(retry, 3, start, start + 3_000)!.getTime()).toBe(start + 7_000);
  expect(nextAttemptAt(retry, 10, start, start + 40_000)!.getTime()).toBe(start + 48_000);
  expect(nextAttemptAt(retry, 12, start, start + 55_000)).toBeNull();
});

describe('configuration', () => {
  test('loopback is allowed by default only in development; entries are host names, IPs or CIDR ranges', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).WEBHOOK_ALLOWED_HOSTS).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(loadConfig({ NODE_ENV: 'test' }).WEBHOOK_ALLOWED_HOSTS).toEqual([]);
    expect(
      loadConfig({ NODE_ENV: 'development', WEBHOOK_ALLOWED_HOSTS: ' Hooks.Internal, 10.0.0.0/8, [::1]' })
        .WEBHOOK_ALLOWED_HOSTS,
    ).toEqual(['hooks.internal', '10.0.0.0/8', '::1']);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'https://hooks.internal/x' })).toThrow(
      'config error: WEBHOOK_ALLOWED_HOSTS must list host names, IP addresses or CIDR ranges (got "https://hooks.internal/x")',
    );
    expect(() => loadConfig({ WEBHOOK_SECRETS_KEY: 'short' })).toThrow(
      'config error: WEBHOOK_SECRETS_KEY must be 32 bytes, base64-encoded (got 5 characters)',
    );
  });

  test('production without the token secret (an OpenID Provider signs tokens) needs a secrets key of its own', () => {
    const oidc = {
      NODE_ENV: 'production',
      AUTH_OIDC_ISSUER: 'https://login.example.com',
      AUTH_AUDIENCE: 'https://api.example.com',
      SIGNAL_SIGNING_KEY: '{}',
      LOG_SIGNING_KEY: '{}',
      TEMPORAL_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    };
    expect(() => loadConfig(oidc)).toThrow(
      'config error: WEBHOOK_SECRETS_KEY is required in production when AUTH_JWT_SECRET is unset',
    );
    expect(loadConfig({ ...oidc, WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64') }).NODE_ENV).toBe(
      'production',
    );
  });
});
