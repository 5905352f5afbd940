/**
 * Erasure (GDPR art. 17): after POST /v1/actors/{actorId}/erasure the Actor's personal values are
 * nowhere — not in a dump of the database, the Temporal history, the files under DATA_DIR or an
 * export — while the Record still verifies, its inclusion proof leads to a checkpoint the witness
 * cosigned, the Signal verifies, `qtm-verify --export` passes every check, and a disclosure handed
 * out before the erasure still opens its commitment.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main as qtmVerify } from '../cli/qtm-verify';
import { writeExport } from '../cli/export';
import { loadConfig } from '../config';
import { startWebhookReceiver, type WebhookReceiver } from '../adapters/webhook-receiver';
import { freePort } from '../stack/temporal-cli';
import { startLocalWitness, type LocalWitness } from '../stack/witness';
import { verifierKey } from '../trust/log-checkpoint';
import { parseWitnessKey } from '../trust/log-cosignature';
import { checkDisclosures } from '../trust/disclosure';
import { loadTrustKeys } from '../trust/keys';
import { verifyBundle } from '../trust/verify-bundle';
import { eventually } from './support/eventually';
import { operator, requester } from './support/fixtures';
import {
  decodedToo,
  PERSONAL,
  personalIn,
  personalLifecycle,
  PHOTO,
  PHOTO_MARKER,
  PHOTO_SHA256,
  rawTemporal,
  type ProbeLifecycle,
} from './support/personal-probe';
import { startWebhookStack, type WebhookStack } from './support/webhooks';

const run = promisify(execFile);

let witness: LocalWitness;
let witnessDir: string;
let stack: WebhookStack;
let receiver: WebhookReceiver;
let probe: ProbeLifecycle;
let workDir: string;

/** Every personal value, and the photo's bytes, also where they are stored encoded. */
const leftovers = (text: string) => {
  const all = decodedToo(text);
  return [...personalIn(all), ...(all.includes(PHOTO_MARKER) ? [PHOTO_MARKER] : [])];
};
const dumpDatabase = async () =>
  (await run('pg_dump', ['--data-only', stack.api.config.DATABASE_URL], { maxBuffer: 256 * 1024 * 1024 })).stdout;

beforeAll(async () => {
  const config = loadConfig(process.env);
  const keys = await loadTrustKeys(config);
  witnessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-erasure-witness-'));
  witness = await startLocalWitness({
    dir: witnessDir,
    name: 'erasure.test/witness',
    origin: config.LOG_ORIGIN,
    logVerifierKeys: keys.log.published.map((k) => verifierKey(config.LOG_ORIGIN, k.publicKey)),
    port: await freePort(),
  });
  stack = await startWebhookStack({
    LOG_CHECKPOINTER: 'on',
    LOG_CHECKPOINT_DELAY: '300ms',
    LOG_WITNESSES: witness.entry,
  });
  receiver = await startWebhookReceiver();
  await stack.subscribe(receiver);
  probe = await personalLifecycle(stack.api, stack.admin);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-erasure-'));
}, 180_000);
afterAll(async () => {
  await receiver?.stop();
  await stack?.stop();
  await witness?.stop();
  fs.rmSync(witnessDir, { recursive: true, force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
});

const erase = (as = stack.admin, body: object = { reason: 'data_subject_request', reference: 'DSR-2026-0412' }) =>
  stack.api.call('POST', `/v1/actors/${probe.actorId}/erasure`, { as, body });

/** The Record's proof once a witnessed checkpoint covers it. */
const witnessedProof = () =>
  eventually('a witnessed checkpoint covering the Record', async () => {
    const res = await stack.api.call('GET', `/v1/records/${probe.recordId}/proof`, { as: stack.admin });
    return res.status === 200 && res.body.checkpoint.includes('— erasure.test/witness') ? res.body : undefined;
  });

/** Everything a third party checks offline: Record, inclusion proof, cosigned checkpoint, Signal. */
async function verifiesOffline(): Promise<string[]> {
  const [record, proof, jwks, logKeys, signal] = await Promise.all([
    stack.api.call('GET', `/v1/records/${probe.recordId}`, { as: stack.admin }),
    witnessedProof(),
    stack.api.call('GET', '/.well-known/jwks.json'),
    stack.api.call('GET', '/v1/log/keys'),
    stack.api.call('GET', `/v1/signals/${probe.signalId}`),
  ]);
  const checks = await verifyBundle({
    record: Buffer.from(record.body.canonicalBase64, 'base64'),
    proof: JSON.stringify(proof),
    jwks: JSON.stringify(jwks.body),
    logKeys: JSON.stringify(logKeys.body),
    jws: signal.body.jws,
    witnessPolicy: { witnesses: [parseWitnessKey(witness.vkey)], threshold: 1 },
  });
  return checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
}

test('only an admin may erase; an unknown Actor is 404; a reason is a code, not free text', async () => {
  expect((await erase(probe.requester)).status).toBe(403);
  expect((await erase(operator(probe.operatorId))).status).toBe(403);
  expect((await erase(requester())).status).toBe(403);
  const unknown = await stack.api.call('POST', `/v1/actors/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/erasure`, {
    as: stack.admin,
    body: { reason: 'data_subject_request' },
  });
  expect(unknown.status).toBe(404);
  const freeText = await erase(stack.admin, { reason: 'Zyxwanda asked on the phone' });
  expect(freeText.status).toBe(400);
  // Nothing was erased by any of these.
  const chain = await stack.api.call('GET', `/v1/intakes/${probe.intakeId}`, { as: stack.admin });
  expect(chain.body.erasedAt).toBeNull();
  expect(chain.body.request.actor.name).toBe('Zyxwanda Quormsby-Pellatt');
});

test('after an erasure the values are nowhere, and every seal, proof and Signal still verifies', async () => {
  // Before: the Record verifies offline, and the requester takes a disclosure of its outcome to a third party.
  expect(await verifiesOffline()).toEqual([]);
  const record = (await stack.api.call('GET', `/v1/records/${probe.recordId}`, { as: probe.requester })).body;
  const disclosures = (
    await stack.api.call('GET', `/v1/records/${probe.recordId}/disclosures`, { as: probe.requester })
  ).body.disclosures as Array<{ path: string; disclosure: string }>;
  const handedOut = disclosures.find((d) => d.path === 'outcome.summary')!.disclosure;
  // The search below finds what it looks for: before the erasure the dump holds every value and the photo.
  expect(leftovers(await dumpDatabase()).length).toBe(Object.keys(PERSONAL).length + 1);

  const first = await erase();
  expect(first.status).toBe(202);
  expect(first.body).toMatchObject({ actorId: probe.actorId, filesErased: 1, recordsKeepingValues: 0 });
  expect(first.body.valuesErased).toBeGreaterThanOrEqual(10);
  // Idempotent: the same erasure, nothing more to erase.
  const again = await erase();
  expect(again.status).toBe(202);
  expect(again.body).toMatchObject({ actorId: probe.actorId, erasedAt: first.body.erasedAt, valuesErased: 0 });

  // Answers show the fields as erased.
  const chain = await stack.api.call('GET', `/v1/intakes/${probe.intakeId}`, { as: stack.admin });
  expect(chain.body.erasedAt).toBe(first.body.erasedAt);
  expect(chain.body.request.actor.name).toBeNull();
  expect(chain.body.intake.details).toBeNull();
  expect(leftovers(JSON.stringify(chain.body))).toEqual([]);
  // The audit trail says who, when and why, without the data; subscribers hear of it.
  expect(chain.body.history.at(-1)).toMatchObject({
    action: 'actor.erased',
    by: { sub: stack.admin.sub, role: 'admin' },
    details: { reason: 'data_subject_request', reference: 'DSR-2026-0412' },
  });
  const events = await receiver.waitFor((all) => all.some((e) => e.type === 'actor.erased'));
  expect(events.find((e) => e.type === 'actor.erased')!.data).toMatchObject({
    actorId: probe.actorId,
    intakeId: probe.intakeId,
    reason: 'data_subject_request',
  });
  expect(
    (
      await fetch(`${stack.api.url}/v1/evidence-files/${PHOTO_SHA256}`, {
        headers: { authorization: `Bearer ${await stack.api.token(stack.admin)}` },
      })
    ).status,
  ).toBe(404);

  // Nowhere: a dump of the database, the Temporal history, the files under DATA_DIR.
  const dump = await dumpDatabase();
  expect(dump).toContain(probe.intakeId); // the dump holds the intake
  expect(leftovers(dump)).toEqual([]);
  expect(leftovers(await rawTemporal(probe.workflowId))).toEqual([]);
  const dataDir = process.env.DATA_DIR!;
  const found: string[] = [];
  for (const file of fs.readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(dataDir, file);
    if (!fs.statSync(full).isFile()) continue;
    const bytes = fs.readFileSync(full);
    if (bytes.includes(PHOTO) || leftovers(bytes.toString('latin1')).length > 0) found.push(file);
  }
  expect(found).toEqual([]);

  // Every seal, proof and Signal still verifies, and the disclosure handed out before still opens its commitment.
  expect((await stack.api.call('GET', `/v1/records/${probe.recordId}/verify`, { as: stack.admin })).body.valid).toBe(
    true,
  );
  expect(await verifiesOffline()).toEqual([]);
  const [opened] = checkDisclosures(record.record, [handedOut]);
  expect(opened).toMatchObject({ ok: true, claim: { path: 'outcome.summary' } });
  const after = await stack.api.call('GET', `/v1/records/${probe.recordId}/disclosures`, { as: stack.admin });
  expect(after.body.disclosures).toEqual([]);

  // An export taken after the erasure holds none of it, and qtm-verify passes every check of it.
  const out = path.join(workDir, 'export');
  await writeExport(stack.api.db, {
    out,
    origin: stack.api.config.LOG_ORIGIN,
    keys: stack.api.keys,
    witnesses: stack.api.config.LOG_WITNESSES,
  });
  for (const file of fs.readdirSync(out, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(out, file);
    if (fs.statSync(full).isFile())
      expect({ file, found: leftovers(fs.readFileSync(full, 'latin1')) }).toEqual({ file, found: [] });
  }
  const lines: string[] = [];
  const code = await qtmVerify(
    ['--export', out, '--witness', witness.vkey],
    (l) => lines.push(l),
    (l) => lines.push(l),
  );
  expect({ code, verdict: lines.at(-1) }).toEqual({
    code: 0,
    verdict: expect.stringMatching(/^OK: all \d+ checks passed$/),
  });
});
