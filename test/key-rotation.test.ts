/**
 * Key rotation end to end, on the real stack and a real litewitness: seal and sign, rotate both
 * key rings with `npm run keys -- rotate`, restart, seal and sign again, export, and verify the
 * whole export offline with qtm-verify and the published keys only: every Signal and checkpoint,
 * before and after the rotation, with the witness policy. The keys live in a data folder of this
 * file's own (development keys, DATA_DIR/keys), the Records in a database of its own.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../config';
import { latestCheckpoint } from '../db/log-store';
import { freePort } from '../stack/temporal-cli';
import { prepareWitness, startLocalWitness, type LocalWitness } from '../stack/witness';
import { logKeyIds, noteKeyId, verifierKey } from '../trust/log-checkpoint';
import { loadTrustKeys, type TrustKeys } from '../trust/keys';
import { signLogHead } from '../activities/log';
import { createDb } from '../db';
import { appendSyntheticRecords } from './support/synthetic-log';
import { freshDatabase } from './support/database';
import { sleep } from './support/eventually';
import { startTestApi, type TestApi } from './support/api';
import { worldAt, type World } from './support/http-world';

const run = promisify(execFile);
const root = path.join(__dirname, '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const ORIGIN = loadConfig(process.env).LOG_ORIGIN;

let dataDir: string;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let witness: LocalWitness;
let api: TestApi | null = null;
let env: Record<string, string>;

const keysNow = () => loadTrustKeys(loadConfig({ ...process.env, ...env }));
const logVkeys = (keys: TrustKeys) => keys.log.published.map((k) => verifierKey(ORIGIN, k.publicKey));

async function script(file: string, args: string[]) {
  return run(process.execPath, [tsx, path.join(root, file), ...args], { env: { ...process.env, ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout + error.stderr,
    }),
  );
}

async function sealAndCheckpoint(count: number, expectedSize: number): Promise<World[]> {
  const worlds: World[] = [];
  for (let i = 0; i < count; i += 1) worlds.push(await worldAt(api!, 'completed'));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const latest = await latestCheckpoint(api!.db);
    if (latest?.treeSize === expectedSize && latest.witnessed) break;
    await sleep(100);
  }
  expect(await latestCheckpoint(api!.db)).toMatchObject({ treeSize: expectedSize, witnessed: true });
  // Signals are emitted after the seal; wait for the last one.
  for (const w of worlds) expect(w.signalId).toBeDefined();
  return worlds;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-rotation-'));
  database = await freshDatabase();
  env = { DATA_DIR: dataDir, DATABASE_URL: database.url };
  const keys = await keysNow();
  witness = await startLocalWitness({
    dir: path.join(dataDir, 'witness'),
    name: 'witness.test/rotation',
    origin: ORIGIN,
    logVerifierKeys: logVkeys(keys),
    port: await freePort(),
  });
  env = { ...env, LOG_WITNESSES: witness.entry, LOG_CHECKPOINTER: 'on', LOG_CHECKPOINT_DELAY: '200ms' };
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await witness?.stop();
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('after a rotation of both keys, every earlier Signal and checkpoint still verifies from the published keys', async () => {
  const before = await keysNow();
  expect(before.signal.current.kid).not.toBe(before.log.current.kid);
  api = await startTestApi(env);
  const early = await sealAndCheckpoint(2, 2);
  await api.stop();
  api = null;

  const rotated = await script('cli/keys.ts', ['rotate']);
  expect(rotated.code).toBe(0);
  expect(rotated.stdout).toMatch(/Signal keys \(data\):\n {2}retired {2}\S+ {2}from \S+ until \S+\n {2}current/);
  const after = await keysNow();
  expect(after.signal.current.kid).not.toBe(before.signal.current.kid);
  expect(after.log.current.kid).not.toBe(before.log.current.kid);
  expect(after.log.published.map((k) => k.kid)).toEqual([before.log.current.kid, after.log.current.kid]);
  // The witness must know the new log key before it cosigns what that key signs.
  prepareWitness({ ...witness.prepared, origin: ORIGIN, logVerifierKeys: logVkeys(after) });

  api = await startTestApi(env);
  const late = await sealAndCheckpoint(2, 4);

  // Published: both Signal keys (the retired one with its validity period), both log keys, the DID document.
  const anyone = api.as(null);
  const jwks = (await anyone.GET('/.well-known/jwks.json')).data!.keys;
  expect(jwks.map((k) => k.kid)).toEqual([before.signal.current.kid, after.signal.current.kid]);
  expect(jwks[0]).toMatchObject({ nbf: expect.any(Number), exp: expect.any(Number) });
  expect(jwks[1]!.exp).toBeUndefined();
  const logKeys = (await anyone.GET('/v1/log/keys')).data!.keys;
  expect(logKeys.map((k) => [k.verifierKey, k.current])).toEqual([
    [logVkeys(after)[0], false],
    [logVkeys(after)[1], true],
  ]);
  const didResponse = await anyone.GET('/.well-known/did.json');
  expect(didResponse.response.headers.get('content-type')).toMatch(/^application\/did\+json/);
  const did = didResponse.data!;
  expect(did.id).toBe('did:web:qtm.local');
  expect(did.assertionMethod).toEqual(jwks.map((k) => `did:web:qtm.local#${k.kid}`));
  const signalKid = async (w: World) => {
    const { jws } = (await anyone.GET('/v1/signals/{id}', { params: { path: { id: w.signalId! } } })).data!;
    return JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()).kid;
  };
  expect(await Promise.all([...early, ...late].map(signalKid))).toEqual([
    before.signal.current.kid,
    before.signal.current.kid,
    after.signal.current.kid,
    after.signal.current.kid,
  ]);
  const checkpointKeys = await api.db('log_checkpoints').orderBy('tree_size').pluck('key_id');
  expect(new Set(checkpointKeys).size).toBe(2);

  // Export and verify offline, with the witness policy.
  const out = path.join(dataDir, 'export');
  expect((await script('cli/export.ts', ['--out', out])).stdout).toMatch(
    /exported 4 records \(4 with inclusion proofs\)/,
  );
  const verify = (dir: string) =>
    run(process.execPath, [path.join(root, 'bin', 'qtm-verify.js'), '--export', dir, '--witness', witness.vkey]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  const result = await verify(out);
  expect(result.stdout).toMatch(/✓ jwks: 2 Ed25519 Signal key\(s\), 1 of them retired/);
  expect(result.stdout).toMatch(/✓ log\.keys: 2 checkpoint key\(s\), 1 of them retired/);
  expect(result.stdout).toMatch(/✓ checkpoint 2: checkpoint\.signature: .* \(a retired key, in use until /);
  expect(result.stdout).toMatch(/✓ log\.key-order: 2 key\(s\) signed the \d+ checkpoints/);
  expect(result.stdout).toMatch(/✓ checkpoint 4\.witness-policy: 1 of 1 witnesses cosigned/);
  expect(result.stdout.match(/✓ signal\.signature/g)).toHaveLength(4);
  expect(result.stdout).toMatch(/OK: all \d+ checks passed/);
  expect(result.code).toBe(0);

  // Without the retired keys, what they signed no longer verifies: they are what keeps it verifiable.
  const stripped = path.join(dataDir, 'stripped');
  fs.cpSync(out, stripped, { recursive: true });
  const strip = (file: string, field: 'keys') => {
    const doc = JSON.parse(fs.readFileSync(path.join(stripped, file), 'utf8'));
    doc[field] = doc[field].slice(-1);
    fs.writeFileSync(path.join(stripped, file), JSON.stringify(doc));
  };
  strip('jwks.json', 'keys');
  strip('log-keys.json', 'keys');
  const broken = await verify(stripped);
  expect(broken.code).toBe(1);
  expect(broken.stdout).toMatch(/✗ checkpoint 2: checkpoint\.signature: no signature by a known key/);
  expect(broken.stdout.match(/✗ signal\.signature/g)).toHaveLength(2);

  // A worker not yet restarted after the rotation (it knows only the old key) leaves signing to the
  // ones that are: once a newer key has signed, the older one never signs a larger checkpoint.
  await api.stop();
  api = null;
  const ownerDb = createDb(loadConfig({ ...process.env, ...env }), { as: 'owner', poolMax: 2 });
  try {
    await appendSyntheticRecords(ownerDb, 1, 'after the rotation');
    const stale = await signLogHead(
      { db: ownerDb, logKey: before.log.current, knownKeyIds: logKeyIds(before, ORIGIN), origin: ORIGIN },
      { wait: true },
    );
    expect(stale).toMatchObject({
      kind: 'superseded',
      keyId: noteKeyId(ORIGIN, after.log.published[1]!.publicKey).toString('hex'),
    });
    const fresh = await signLogHead(
      { db: ownerDb, logKey: after.log.current, knownKeyIds: logKeyIds(after, ORIGIN), origin: ORIGIN },
      { wait: true },
    );
    expect(fresh).toMatchObject({ kind: 'signed', summary: { treeSize: 5 } });
  } finally {
    await ownerDb.destroy();
  }
}, 180_000);
