/**
 * Temporal holds nothing readable: every payload of an intake the product runs is encrypted by
 * the payload codec, as the history shows to anyone who reads it without the codec (the
 * `temporal` CLI, raw); the codec server on the API decodes it for admins (by bearer token or
 * the codec session cookie, from the Web UI's origin) and for nobody else; and a rotated key ring
 * still reads, and continues, what the old key wrote.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import { reasonOf } from '../client';
import { ENCRYPTED_ENCODING, formatPayloadKeys, KEY_ID_METADATA, newPayloadKey } from '../adapters/payload-codec';
import { ensureTemporalCli } from '../stack/temporal-cli';
import { intakeWorkflowId } from '../workflows/messages';
import { CODEC_SESSION_COOKIE } from '../api/routes/codec';
import { knownOperatorId } from './support/operators';
import { startTestApi, type TestApi } from './support/api';
import { admin, newOperatorId, operator, requestBody, requester } from './support/fixtures';
import { payloadsIn, type FoundPayload } from './support/payloads';

const run = promisify(execFile);
const UI_ORIGIN = 'http://127.0.0.1:18233';

/** Values no two runs share, so finding one anywhere means this run's data leaked there. */
function personalValues() {
  const tag = randomUUID().slice(0, 8);
  const values = {
    name: `Ada Lovelace-${tag}`,
    email: `ada-${tag}@example.com`,
    summary: `Kitchen sink leaks ${tag}`,
    details: `Key under the mat ${tag}; dog is friendly`,
    address: `${tag} Analytical Row, London`,
  };
  const body = requestBody({
    actor: { kind: 'person', name: values.name, contact: { email: values.email } },
    request: {
      category: 'plumbing',
      summary: values.summary,
      details: values.details,
      location: { address: values.address },
    },
  });
  return { values: Object.values(values), body };
}

/** An intake started through the API, as a requester does, and approved by an admin: start, Update, activities. */
async function submitThroughApi(api: TestApi) {
  const personal = personalValues();
  const { data, error, response } = await api.as(requester()).POST('/v1/requests', { body: personal.body });
  if (!data) throw new Error(`submit: ${reasonOf(error, response)}`);
  const approved = await api.as(admin()).POST('/v1/tasks/{id}/approve', {
    params: { path: { id: data.taskId } },
    body: {},
  });
  expect(approved.response.status).toBe(200);
  return { ...personal, intakeId: data.intakeId, taskId: data.taskId, workflowId: intakeWorkflowId(data.intakeId) };
}

/** The history as anyone with access to the cluster reads it: the CLI, no codec. */
async function cliHistory(api: TestApi, workflowId: string, extra: string[] = []): Promise<string> {
  const binary = await ensureTemporalCli();
  const { stdout } = await run(
    binary,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      api.config.TEMPORAL_ADDRESS,
      '--namespace',
      api.config.TEMPORAL_NAMESPACE,
      '--output',
      'json',
      ...extra,
    ],
    { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Payloads Temporal must be able to read: search attributes (indexed) and headers (trace context). */
const readableByDesign = (p: FoundPayload) => /searchAttributes|\.header\./.test(p.path);

function expectNoneOf(values: string[], text: string): void {
  for (const value of values) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
}

const decode = (api: TestApi, payloads: FoundPayload[], headers: Record<string, string>) =>
  fetch(`${api.url}/codec/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': api.config.TEMPORAL_NAMESPACE, ...headers },
    body: JSON.stringify({
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
        data: p.data.toString('base64'),
      })),
    }),
  });

type CodecBody = { payloads: Array<{ metadata: Record<string, string>; data: string }> };

const decodedValues = (body: CodecBody) =>
  body.payloads.map((p) =>
    defaultPayloadConverter.fromPayload({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data, 'base64'),
    }),
  );

describe('with the product’s payload codec', () => {
  let api: TestApi;
  let intake: Awaited<ReturnType<typeof submitThroughApi>>;
  let raw: FoundPayload[];

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_UI_URL: `${UI_ORIGIN}/` });
    intake = await submitThroughApi(api);
    raw = payloadsIn(JSON.parse(await cliHistory(api, intake.workflowId, ['--no-json-shorthand-payloads'])));
  });
  afterAll(() => api?.stop());

  test('the raw history (temporal workflow show, no codec) holds only encrypted payloads and none of the values', async () => {
    const encrypted = raw.filter((p) => !readableByDesign(p));
    // The input, the submit and approve Updates (arguments and results), the activities, the summary.
    expect(encrypted.length).toBeGreaterThanOrEqual(6);
    expect(encrypted.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/workflowExecutionStartedEventAttributes\.input\.payloads\.0$/),
        expect.stringMatching(/workflowExecutionUpdateAcceptedEventAttributes\.acceptedRequest\.input\.args/),
        expect.stringMatching(/activityTaskScheduledEventAttributes\.input\.payloads/),
      ]),
    );
    for (const p of encrypted) {
      expect({ path: p.path, encoding: p.metadata.encoding }).toEqual({ path: p.path, encoding: ENCRYPTED_ENCODING });
      expect(p.metadata[KEY_ID_METADATA]).toMatch(/^[\w.-]+$/);
      expectNoneOf(intake.values, p.data.toString('latin1'));
    }
    // As ops staff would read it (payloads shown as JSON where the CLI can): still none of them.
    expectNoneOf(intake.values, await cliHistory(api, intake.workflowId));
  });

  test('the codec server decodes for an admin (bearer token), and the CLI reads the history through it', async () => {
    const input = raw.find((p) => p.path.endsWith('workflowExecutionStartedEventAttributes.input.payloads.0'))!;
    const res = await decode(api, [input], { authorization: `Bearer ${await api.token(admin())}` });
    expect(res.status).toBe(200);
    const decoded = JSON.stringify(decodedValues((await res.json()) as CodecBody));
    // The input as the workflow got it: its ids, and the personal values as references to the vault.
    expect(decoded).toContain(intake.intakeId);
    expect(decoded).toMatch(/"name":"sd:[A-Za-z0-9_-]{43}"/);
    expectNoneOf(intake.values, decoded);
    // Temporal's own client of the protocol: `temporal workflow show --codec-endpoint … --codec-auth …`.
    const decodedByCli = await cliHistory(api, intake.workflowId, [
      '--codec-endpoint',
      `${api.url}/codec`,
      '--codec-auth',
      `Bearer ${await api.token(admin())}`,
    ]);
    const readable = payloadsIn(JSON.parse(decodedByCli))
      .map((p) => p.data.toString('utf8'))
      .join('\n');
    expect(readable).toContain(intake.intakeId);
    expect(readable).toMatch(/"summary":"sd:[A-Za-z0-9_-]{43}"/);
    expectNoneOf(intake.values, readable);
  });

  test('anyone else gets 401 or 403, and nothing decoded', async () => {
    const input = raw.filter((p) => !readableByDesign(p));
    const refusals = [
      [{}, 401],
      [{ authorization: `Bearer ${await api.token(requester())}` }, 403],
      [{ authorization: `Bearer ${await api.token(operator(newOperatorId()))}` }, 403],
      [{ authorization: 'Bearer not-a-token' }, 401],
      [{ cookie: `${CODEC_SESSION_COOKIE}=forged.cookie.value` }, 401],
    ] as const;
    for (const [headers, status] of refusals) {
      const res = await decode(api, input, headers);
      const text = await res.text();
      expect({ headers, status: res.status }).toEqual({ headers, status });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expectNoneOf(intake.values, text);
      expect(text).not.toContain('"payloads"');
    }
    // The CLI without authorization shows nothing readable either.
    const refused = await cliHistory(api, intake.workflowId, ['--codec-endpoint', `${api.url}/codec`]).catch(
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expectNoneOf(intake.values, refused);
  });

  test('the Web UI’s way: an admin’s codec session cookie, from the UI’s origin with credentials (CORS)', async () => {
    const input = raw.find((p) => p.path.endsWith('workflowExecutionStartedEventAttributes.input.payloads.0'))!;
    const preflight = await fetch(`${api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const elsewhere = await fetch(`${api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    // Only an admin may start a session; the cookie is HttpOnly, SameSite=Strict, for /codec only.
    const notAdmin = await api.call('POST', '/codec/session', { as: requester() });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.headers.get('set-cookie')).toBeNull();
    const started = await api.call('POST', '/codec/session', { as: admin() });
    expect(started.status).toBe(200);
    const setCookie = started.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      new RegExp(`^${CODEC_SESSION_COOKIE}=[^;]+; Max-Age=3600; Path=/codec; HttpOnly; SameSite=Strict$`),
    );
    const cookie = setCookie.split(';')[0]!;

    const res = await decode(api, [input], { cookie, origin: UI_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const decoded = JSON.stringify(decodedValues((await res.json()) as CodecBody));
    // The input as the workflow got it: its ids, and the personal values as references to the vault.
    expect(decoded).toContain(intake.intakeId);
    expect(decoded).toMatch(/"name":"sd:[A-Za-z0-9_-]{43}"/);
    expectNoneOf(intake.values, decoded);
    // The cookie opens the codec and nothing else of the API.
    expect((await api.call('GET', '/v1/tasks', { headers: { cookie } })).status).toBe(401);
    // Another namespace's payloads are not this codec's to decode.
    const other = await decode(api, [input], { cookie, 'x-namespace': 'someone-else' });
    expect(other.status).toBe(400);
    // Unencrypted payloads come back as they are (histories from before the codec).
    const plain = defaultPayloadConverter.toPayload({ hello: 'world' });
    const passed = await decode(
      api,
      [{ path: '', metadata: { encoding: 'json/plain' }, data: Buffer.from(plain.data!) }],
      { cookie },
    );
    expect(decodedValues((await passed.json()) as CodecBody)).toEqual([{ hello: 'world' }]);
    // Encode is the protocol's other half: what it encrypts, decode reads back.
    const encoded = (await (
      await fetch(`${api.url}/codec/encode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          payloads: [
            {
              metadata: { encoding: Buffer.from('json/plain').toString('base64') },
              data: Buffer.from(plain.data!).toString('base64'),
            },
          ],
        }),
      })
    ).json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    // Signing out clears it.
    const ended = await api.call('DELETE', '/codec/session');
    expect(ended.status).toBe(204);
    expect(ended.headers.get('set-cookie')).toMatch(new RegExp(`^${CODEC_SESSION_COOKIE}=; Max-Age=0; Path=/codec`));
  });
});

test('key rotation: what the old key wrote still decodes, and its intake goes on, once a new key is current', async () => {
  const old = newPayloadKey(new Date('2026-01-01T00:00:00Z'));
  const fresh = newPayloadKey(new Date('2026-06-01T00:00:00Z'));
  const before = await startTestApi({ TEMPORAL_PAYLOAD_KEYS: formatPayloadKeys([old]) });
  const taskQueue = before.config.TEMPORAL_TASK_QUEUE;
  let intake: Awaited<ReturnType<typeof submitThroughApi>>;
  try {
    intake = await submitThroughApi(before);
  } finally {
    await before.stop();
  }
  // The rotated ring: the new key first (it encrypts), the old one kept (it decrypts). Same task queue, so
  // this worker replays the intake's history, written under the old key.
  const after = await startTestApi({
    TEMPORAL_PAYLOAD_KEYS: formatPayloadKeys([fresh, old]),
    TEMPORAL_TASK_QUEUE: taskQueue,
  });
  try {
    const operatorId = await knownOperatorId(after);
    const assigned = await after.as(admin()).POST('/v1/tasks/{id}/assign', {
      params: { path: { id: intake.taskId } },
      body: { operatorId },
    });
    expect(assigned.response.status).toBe(200);
    const history = payloadsIn(
      JSON.parse(await cliHistory(after, intake.workflowId, ['--no-json-shorthand-payloads'])),
    );
    const keyIds = new Set(history.filter((p) => !readableByDesign(p)).map((p) => p.metadata[KEY_ID_METADATA]));
    expect([...keyIds].sort()).toEqual([old.id, fresh.id].sort());
    const res = await decode(
      after,
      history.filter((p) => !readableByDesign(p)),
      { authorization: `Bearer ${await after.token(admin())}` },
    );
    expect(res.status).toBe(200);
    const text = JSON.stringify(decodedValues((await res.json()) as CodecBody));
    expect(text).toContain(intake.intakeId);
    expect(text).toContain(operatorId);
  } finally {
    await after.stop();
  }
  // A ring that has dropped the old key cannot read it: the key id says which key is missing.
  const dropped = await startTestApi({ TEMPORAL_PAYLOAD_KEYS: formatPayloadKeys([fresh]) });
  try {
    const history = payloadsIn(
      JSON.parse(await cliHistory(dropped, intake.workflowId, ['--no-json-shorthand-payloads'])),
    );
    const input = history.filter((p) => p.path.endsWith('workflowExecutionStartedEventAttributes.input.payloads.0'));
    const res = await decode(dropped, input, { authorization: `Bearer ${await dropped.token(admin())}` });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      `cannot decode: a payload is encrypted under key ${old.id}, which the key ring (TEMPORAL_PAYLOAD_KEYS) lacks`,
    );
  } finally {
    await dropped.stop();
  }
}, 120_000);
