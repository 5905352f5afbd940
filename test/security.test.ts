/**
 * Hostile input and leaky logs. (Operator A against operator B's task, job, service event and
 * record is the `stranger` column of api-authz.test.ts; forged tokens are in api-docs.test.ts;
 * the database role's missing privileges are in guardrails.test.ts; oversized bodies in
 * api-validation.test.ts.)
 */
import { checkDisclosures } from '../trust/disclosure';
import { startTestApi, type TestApi } from './support/api';
import { CATEGORIES } from '../domain/schemas';
import { admin, operator, requester } from './support/fixtures';
import { knownOperatorId } from './support/operators';
import { captureLog } from './support/log-capture';

const INJECTIONS = [
  "Robert'); DROP TABLE requests;--",
  '" OR 1=1 --',
  '{"$gt": ""}',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '${process.exit(1)}',
  '\u202e bidi override \u200b zero width',
  '../../etc/passwd',
];

const log = captureLog('trace');
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, log.logger);
});
afterAll(() => api?.stop());

test('injection strings in every text field are stored verbatim and stay data', async () => {
  const operatorId = await knownOperatorId(api);
  const staff = operator(operatorId);
  const boss = admin();
  const alice = requester();
  for (const evil of INJECTIONS) {
    const body = {
      channel: 'web',
      actor: { kind: 'person', name: evil, contact: { address: evil } },
      request: { category: 'plumbing', summary: evil, details: evil, location: evil },
    };
    const submitted = await api.call('POST', '/v1/requests', { as: alice, body });
    expect(submitted.status).toBe(201);
    const { taskId, intakeId, requestId } = submitted.body;
    expect((await api.call('GET', `/v1/requests/${requestId}`, { as: alice })).body.body).toEqual(body);
    expect(
      (await api.call('POST', `/v1/tasks/${taskId}/approve`, { as: boss, body: { note: evil } })).body.decisions[0]
        .details.note,
    ).toBe(evil);
    await api.call('POST', `/v1/tasks/${taskId}/assign`, { as: boss, body: { operatorId } });
    const job = await api.call('POST', `/v1/tasks/${taskId}/job`, { as: boss });
    await api.call('POST', `/v1/jobs/${job.body.id}/claim`, { as: staff });
    const se = (await api.call('POST', `/v1/jobs/${job.body.id}/start`, { as: staff })).body.serviceEventId;
    const added = await api.call('POST', `/v1/service-events/${se}/evidence`, {
      as: staff,
      body: {
        kind: 'checklist',
        description: evil,
        value: { [evil.slice(0, 50)]: evil.slice(0, 1000) },
        unit: evil.slice(0, 50),
      },
    });
    expect(added.status).toBe(201);
    expect(
      (
        await api.call('POST', `/v1/service-events/${se}/complete`, {
          as: staff,
          body: { outcome: 'completed', summary: evil },
        })
      ).status,
    ).toBe(202);
    await api.intakes.handle(intakeId).result();

    const chain = await api.call('GET', `/v1/intakes/${intakeId}`, { as: alice });
    expect(chain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(chain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(chain.body.request.body).toEqual(body);
    expect(chain.body.intake).toMatchObject({ summary: evil, details: evil });
    expect(chain.body.serviceEvent.evidence[0]).toMatchObject({ description: evil });
    // The Record commits to the strings without holding them; its disclosures open each one.
    const record = chain.body.record.record;
    expect(JSON.stringify(record)).not.toContain(evil.slice(0, 40));
    const opened = await api.call('GET', `/v1/records/${chain.body.record.id}/disclosures`, { as: alice });
    const values = checkDisclosures(
      record,
      opened.body.disclosures.map((d: { disclosure: string }) => d.disclosure),
    ).map((d) => (d.ok ? [d.claim.path, d.claim.value] : d.reason));
    expect(values).toEqual(
      expect.arrayContaining([
        ['outcome.summary', evil],
        ['request.payload.request.details', evil],
        ['execution.evidence.0.description', evil],
      ]),
    );
    expect((await api.call('GET', `/v1/records/${chain.body.record.id}/verify`, { as: alice })).body.valid).toBe(true);

    // The public Signal states the work in the vocabulary's words only: nothing anyone typed.
    const signal = await api.call('GET', `/v1/signals/${chain.body.signal.id}`, { as: null });
    const listed = await api.call('GET', `/v1/operators/${operatorId}/signals?limit=100`, { as: null });
    for (const published of [JSON.stringify(signal.body), JSON.stringify(listed.body)]) {
      expect(published).not.toContain(evil);
      expect(published).not.toContain(JSON.stringify(evil).slice(1, -1));
    }
    expect(signal.body.signal.credentialSubject.attribution.category).toBe('plumbing');
  }
  // The tables the strings talked about are all still there.
  const tables = await api.db.raw(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('requests','intakes','tasks','records')`,
  );
  expect(tables.rows[0].n).toBe(4);
});

test('a category outside the fixed vocabulary is refused with 400 listing the allowed values, and nothing is stored', async () => {
  const alice = requester();
  const res = await api.call('POST', '/v1/requests', {
    as: alice,
    body: {
      channel: 'web',
      actor: { kind: 'person', name: 'Ada' },
      request: { category: 'Sink at 12 Analytical Row, ask for Ada', summary: 'leak' },
    },
  });
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([
    { path: 'body.request.category', message: `must be one of ${CATEGORIES.join(', ')}` },
  ]);
  expect(res.body.detail).toContain('plumbing, electrical, heating');
  expect(await api.db('requests').where({ submitted_by_sub: alice.sub })).toHaveLength(0);
});

test.each([
  ['a NUL character', 'nul\u0000byte'],
  ['a lone surrogate', 'half \ud800 a pair'],
])('%s, which Postgres cannot store, is refused up front and changes nothing', async (_what, name) => {
  const alice = requester();
  const res = await api.call('POST', '/v1/requests', {
    as: alice,
    body: { channel: 'web', actor: { kind: 'person', name }, request: { category: 'other', summary: 'y' } },
  });
  expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'body.actor.name' }] } });
  expect(await api.db('requests').where({ submitted_by_sub: alice.sub })).toHaveLength(0);
});

test('tokens, secrets and keys never reach the logs', async () => {
  const alice = requester();
  const token = await api.token(alice);
  const forged = `${token.slice(0, -4)}AAAA`;
  for (const auth of [token, forged]) {
    await fetch(`${api.url}/v1/tasks`, { headers: { authorization: `Bearer ${auth}` } });
    await fetch(`${api.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: '{"broken',
    });
  }
  await api.call('GET', '/v1/tasks', { as: admin() });
  const logs = log.text();
  expect(log.lines.length).toBeGreaterThan(4);
  expect(logs).toContain('"statusCode":401');
  expect(logs).not.toContain(token);
  expect(logs).not.toContain(token.split('.')[2]!);
  expect(logs).not.toContain(forged);
  expect(logs).not.toContain(Buffer.from(api.authKeys.secret).toString('utf8'));
  expect(logs).not.toContain('"d":');
  expect(logs).not.toMatch(/authorization/i);
});
