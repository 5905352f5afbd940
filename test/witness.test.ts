/**
 * The log, live and witnessed, on the real Temporal server, Postgres and a real litewitness
 * (filippo.io/torchwood, C2SP tlog-witness) started by this file: a Record's inclusion proof is
 * served a second after its seal, against a checkpoint signed by the log and cosigned by the
 * witness; a forked history is refused by the witness and not published as witnessed; a witness
 * that is down never holds up sealing or proofs. Runs on databases of its own: it counts leaves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signLogHead } from '../activities/log';
import type { QtmClient, Schemas } from '../client';
import { loadConfig } from '../config';
import { createDb, type Db } from '../db';
import { latestCheckpoint } from '../db/log-store';
import { startCheckpointer } from '../workers/log-checkpointer';
import { freePort } from '../stack/temporal-cli';
import { startLocalWitness, type LocalWitness } from '../stack/witness';
import { openCheckpoint, verifierKey } from '../trust/log-checkpoint';
import { checkWitnessPolicy, parseWitnessKey } from '../trust/log-cosignature';
import { loadTrustKeys, type TrustKeys } from '../trust/keys';
import { freshDatabase } from './support/database';
import { sleep } from './support/eventually';
import { startTestApi, type TestApi } from './support/api';
import { appendSyntheticRecords } from './support/synthetic-log';
import { worldAt, type World } from './support/http-world';

const ORIGIN = loadConfig(process.env).LOG_ORIGIN;
let keys: TrustKeys;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let api: TestApi;
let witness: LocalWitness;
let witnessDir: string;
let witnessPort: number;

const logPublicKey = () => keys.log.published.find((k) => k.kid === keys.log.current.kid)!.publicKey;
const logVkey = () => verifierKey(ORIGIN, logPublicKey());

beforeAll(async () => {
  keys = await loadTrustKeys(loadConfig(process.env));
  witnessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-witness-'));
  witnessPort = await freePort();
  witness = await startLocalWitness({
    dir: witnessDir,
    name: 'witness.test/local',
    origin: ORIGIN,
    logVerifierKeys: keys.log.published.map((k) => verifierKey(ORIGIN, k.publicKey)),
    port: witnessPort,
  });
  database = await freshDatabase();
  api = await startTestApi({
    DATABASE_URL: database.url,
    LOG_CHECKPOINTER: 'on',
    LOG_CHECKPOINT_DELAY: '300ms',
    LOG_WITNESSES: witness.entry,
  });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await witness?.stop();
  await database?.drop();
  fs.rmSync(witnessDir, { recursive: true, force: true });
});

const witnessKey = () => parseWitnessKey(witness.vkey);

/** A sealed Record and its inclusion proof, as its requester reads them. */
const recordOf = (world: World) =>
  api.as(world.requester).GET('/v1/records/{id}', { params: { path: { id: world.recordId! } } });
const proofOf = (world: World) =>
  api.as(world.requester).GET('/v1/records/{id}/proof', { params: { path: { id: world.recordId! } } });
/** The latest checkpoint as JSON (the contract's other representation of it). */
const checkpointJson = async (client: QtmClient) =>
  (await client.GET('/v1/log/checkpoint', { params: { query: { format: 'json' } } })).data as
    Schemas['LogCheckpoint'] | undefined;
/** The tlog-tiles checkpoint note. */
const tilesCheckpoint = (client: QtmClient) => client.GET('/log/checkpoint', { parseAs: 'text' });

test('a Record sealed a second ago has its inclusion proof, against a checkpoint signed by the log and cosigned by the witness', async () => {
  // A second signer on the same database, as a second worker would run one: one signs at a time.
  const second = startCheckpointer({
    deps: {
      db: api.db,
      logKey: keys.log.current,
      origin: ORIGIN,
      witnesses: api.config.LOG_WITNESSES,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    },
    databaseUrl: database.url,
    delayMs: 300,
  });
  try {
    const sealed = await Promise.all([worldAt(api, 'completed'), worldAt(api, 'completed'), worldAt(api, 'completed')]);
    for (const world of sealed) {
      const record = await recordOf(world);
      const wait = Date.parse(record.data!.sealedAt) + 1_000 - Date.now();
      if (wait > 0) await sleep(wait);
      const { data: proof, response } = await proofOf(world);
      expect(response.status).toBe(200);
      const opened = openCheckpoint(proof!.checkpoint, [logPublicKey()], ORIGIN);
      expect(opened.checkpoint.treeSize).toBe(proof!.treeSize);
      const policy = checkWitnessPolicy(proof!.checkpoint, [witnessKey()], 1);
      expect(policy.checks.map((c) => [c.witness, c.ok])).toEqual([['witness.test/local', true]]);
      expect(policy.ok).toBe(true);
    }
    const checkpoints = await api.db('log_checkpoints').orderBy('tree_size');
    // Every checkpoint cosigned; sizes only grow, each signed once (3 seals, at most 3 checkpoints).
    expect(checkpoints.every((c) => c.witnessed)).toBe(true);
    expect(checkpoints.length).toBeLessThanOrEqual(3);
    expect(checkpoints.at(-1).tree_size).toBe(3);
    expect(await api.db('log_cosignatures').count({ n: '*' })).toEqual([{ n: checkpoints.length }]);

    const json = await checkpointJson(api.as(null));
    expect(json).toMatchObject({ treeSize: 3, witnessed: true, verifierKey: logVkey() });
    expect(json!.cosignatures).toEqual([
      { witness: 'witness.test/local', keyId: witnessKey().keyId.toString('hex'), cosignedAt: expect.any(String) },
    ]);
    // The tlog-tiles checkpoint is the same cosigned note.
    expect((await tilesCheckpoint(api.as(null))).data).toBe(json!.note);
    const keysDoc = (await api.as(null).GET('/v1/log/keys')).data!;
    expect(keysDoc.witnesses).toEqual([{ name: 'witness.test/local', verifierKey: witness.vkey }]);
    expect(keysDoc.keys.at(-1)).toMatchObject({ verifierKey: logVkey(), current: true, validUntil: null });
  } finally {
    await second.stop();
  }
});

test('a forked history is refused by the witness, reported, and not published as witnessed', async () => {
  const fork = await freshDatabase();
  const ownerDb: Db = createDb(loadConfig({ ...process.env, DATABASE_URL: fork.url }), { as: 'owner', poolMax: 2 });
  const warnings: Array<{ obj: object; msg: string }> = [];
  try {
    // The same log (origin and key), another history: 5 leaves that are not the real log's 3.
    await appendSyntheticRecords(ownerDb, 5, 'rewritten history');
    const result = await signLogHead(
      {
        db: ownerDb,
        logKey: keys.log.current,
        origin: ORIGIN,
        witnesses: api.config.LOG_WITNESSES,
        log: { warn: (obj, msg) => warnings.push({ obj, msg }), error: () => undefined },
      },
      { wait: true },
    );
    expect(result.kind).toBe('signed');
    const checkpoint = (await latestCheckpoint(ownerDb))!;
    expect(checkpoint).toMatchObject({ treeSize: 5, witnessed: false, cosignatures: [] });
    // The witness knew size 3 (409 with its size), then the proof 3 → 5 of the fork did not hold (422).
    const refusals = await ownerDb('log_witness_refusals').select('tree_size', 'witness', 'status', 'detail');
    expect(refusals).toEqual([
      {
        tree_size: 5,
        witness: 'witness.test/local',
        status: 422,
        detail: expect.stringMatching(/consistency proof/),
      },
    ]);
    expect(warnings).toEqual([
      {
        obj: expect.objectContaining({ witness: 'witness.test/local', status: 422, treeSize: 5 }),
        msg: 'witness refused to cosign the checkpoint: it is not published as witnessed',
      },
    ]);

    // Served from the fork's own database: the refusal is a metric, and /log/checkpoint publishes nothing.
    const forkApi = await startTestApi({ DATABASE_URL: fork.url });
    try {
      const anyone = forkApi.as(null);
      const metrics = (await anyone.GET('/metrics', { parseAs: 'text' })).data;
      expect(metrics).toMatch(/qtm_log_witness_refusals_total\{witness="witness.test\/local",status="422"\} 1/);
      expect(metrics).toMatch(/qtm_log_checkpoint_witnessed 0/);
      expect((await tilesCheckpoint(anyone)).response.status).toBe(404);
      expect(await checkpointJson(anyone)).toMatchObject({ witnessed: false });
    } finally {
      await forkApi.stop();
    }
    // The real log goes on being cosigned: the witness still follows it.
    expect((await latestCheckpoint(api.db))?.witnessed).toBe(true);
  } finally {
    await ownerDb.destroy();
    await fork.drop();
  }
});

test('a witness that is down holds up neither sealing nor proofs; its cosignatures resume when it is back', async () => {
  await witness.stop();
  const world = await worldAt(api, 'completed');
  const record = await recordOf(world);
  const wait = Date.parse(record.data!.sealedAt) + 1_500 - Date.now();
  if (wait > 0) await sleep(wait);
  const { data: proof, response } = await proofOf(world);
  expect(response.status).toBe(200);
  expect(proof!.treeSize).toBe(4);
  expect(checkWitnessPolicy(proof!.checkpoint, [witnessKey()], 1).ok).toBe(false);
  expect(await latestCheckpoint(api.db)).toMatchObject({ treeSize: 4, witnessed: false });
  // The tlog-tiles checkpoint stays at the last witnessed one.
  expect((await tilesCheckpoint(api.as(null))).data).toMatch(new RegExp(`^${ORIGIN}\\n3\\n`));

  witness = await startLocalWitness({
    dir: witnessDir,
    name: 'witness.test/local',
    origin: ORIGIN,
    logVerifierKeys: [],
    port: witnessPort,
  });
  await worldAt(api, 'completed');
  const deadline = Date.now() + 10_000;
  while ((await latestCheckpoint(api.db))?.treeSize !== 5 && Date.now() < deadline) await sleep(100);
  // Size 3 → 5: the witness never saw 4, and is given the proof from the size it has.
  expect(await latestCheckpoint(api.db)).toMatchObject({ treeSize: 5, witnessed: true });
  expect((await tilesCheckpoint(api.as(null))).data).toMatch(new RegExp(`^${ORIGIN}\\n5\\n`));
});
