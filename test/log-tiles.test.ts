/**
 * The log through its C2SP tlog-tiles API only (checkpoint, hash tiles, partial tiles, entry
 * bundles), as a standard client reads it: the whole tree is walked and its root recomputed
 * against the signed checkpoint, here and by a Go program of ours built on golang.org/x/mod's
 * sumdb/tlog and sumdb/note and torchwood's tile client (test/tlog-client, run with `go run`).
 * 600 synthetic Records make full and partial tiles at levels 0 and 1.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { signLogHead } from '../activities/log';
import { loadConfig } from '../config';
import { createDb, type Db } from '../db';
import { openCheckpoint, verifierKey } from '../trust/log-checkpoint';
import { loadTrustKeys, type TrustKeys } from '../trust/keys';
import { hashSpan, leafHash, MemoryTree, nodeHash } from '../trust/log-merkle';
import { decodeEntryBundle, encodeTileIndex, parseTileSegments, tilePath } from '../trust/log-tiles';
import { sha256Hex } from '../trust/canonical';
import { freshDatabase } from './support/database';
import { startTestApi, type TestApi } from './support/api';
import { appendSyntheticRecords } from './support/synthetic-log';

const run = promisify(execFile);
const LEAVES = 600;
const ORIGIN = loadConfig(process.env).LOG_ORIGIN;

let keys: TrustKeys;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let ownerDb: Db;
let api: TestApi;
let canonicals: Buffer[];

beforeAll(async () => {
  keys = await loadTrustKeys(loadConfig(process.env));
  database = await freshDatabase();
  ownerDb = createDb(loadConfig({ ...process.env, DATABASE_URL: database.url }), { as: 'owner', poolMax: 2 });
  canonicals = await appendSyntheticRecords(ownerDb, LEAVES, 'tiles');
  await signLogHead({ db: ownerDb, logKey: keys.log.current, origin: ORIGIN }, { wait: true });
  api = await startTestApi({ DATABASE_URL: database.url });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await ownerDb?.destroy();
  await database?.drop();
});

const logPublicKey = () => keys.log.published.find((k) => k.kid === keys.log.current.kid)!.publicKey;

async function get(p: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(`${api.url}/log/${p}`);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

test('tile paths: index groups of three digits, x-prefixed, strict', () => {
  expect(encodeTileIndex(1234067)).toBe('x001/x234/067');
  expect(encodeTileIndex(5)).toBe('005');
  expect(tilePath({ kind: 'hashes', level: 1, index: 1000, width: 17 })).toBe('tile/1/x001/000.p/17');
  expect(tilePath({ kind: 'entries', index: 2, width: 256 })).toBe('tile/entries/002');
  expect(parseTileSegments(['0', 'x001', 'x234', '067'])).toEqual({
    kind: 'hashes',
    level: 0,
    index: 1234067,
    width: 256,
  });
  expect(parseTileSegments(['entries', '002.p', '88'])).toEqual({ kind: 'entries', index: 2, width: 88 });
  for (const bad of [
    ['0', '5'],
    ['0', 'x000', '005'],
    ['0', '001.p', '0'],
    ['0', '001.p', '256'],
    ['00', '001'],
    ['64', '000'],
    ['0', 'x001'],
  ])
    expect(parseTileSegments(bad)).toBeNull();
});

test('walking every tile recomputes the signed root; every entry is a Record’s bytes and hashes to its leaf', async () => {
  const checkpoint = await get('checkpoint');
  expect(checkpoint.status).toBe(200);
  expect(checkpoint.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/);
  const opened = openCheckpoint(checkpoint.bytes.toString('utf8'), [logPublicKey()], ORIGIN);
  const size = opened.checkpoint.treeSize;
  expect(size).toBe(LEAVES);

  // Level 0: the leaf hashes, 256 a tile, the last one partial.
  const leaves: Buffer[] = [];
  const entries: Buffer[] = [];
  for (let n = 0; n * 256 < size; n += 1) {
    const width = Math.min(256, size - n * 256);
    const tile = await get(tilePath({ kind: 'hashes', level: 0, index: n, width }));
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('application/octet-stream');
    expect(tile.headers.get('cache-control')).toBe(
      width === 256 ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
    );
    expect(tile.bytes.length).toBe(32 * width);
    for (let i = 0; i < width; i += 1) leaves.push(tile.bytes.subarray(32 * i, 32 * (i + 1)));
    const bundle = await get(tilePath({ kind: 'entries', index: n, width }));
    expect(bundle.status).toBe(200);
    entries.push(...decodeEntryBundle(bundle.bytes));
  }
  expect(leaves).toHaveLength(size);
  expect(entries.map((e, i) => leafHash(e).equals(leaves[i]!))).toEqual(entries.map(() => true));
  expect(entries.map((e) => sha256Hex(e))).toEqual(canonicals.map((c) => sha256Hex(c)));

  // Level 1: the roots of each full 256-leaf subtree, in one partial tile of 2.
  const level1 = await get('tile/1/000.p/2');
  expect(level1.status).toBe(200);
  const tree = new MemoryTree(leaves);
  for (let i = 0; i < 2; i += 1)
    expect(
      level1.bytes.subarray(32 * i, 32 * (i + 1)).equals(hashSpan({ start: i * 256, end: (i + 1) * 256 }, tree.get)),
    ).toBe(true);

  // The root from the tiles: the two level-8 subtrees, then the 88 leaves of the partial tile.
  const tail = hashSpan({ start: 512, end: 600 }, tree.get);
  const fromTiles = nodeHash(nodeHash(level1.bytes.subarray(0, 32), level1.bytes.subarray(32, 64)), tail);
  expect(fromTiles.equals(opened.checkpoint.rootHash)).toBe(true);
  expect(tree.root().equals(opened.checkpoint.rootHash)).toBe(true);
});

test('a client that asks for gzip gets the bundle compressed; one that does not, plain', async () => {
  const plain = await fetch(`${api.url}/log/tile/entries/000`, { headers: { 'accept-encoding': 'identity' } });
  const bytes = Buffer.from(await plain.arrayBuffer());
  expect(plain.headers.get('content-encoding')).toBeNull();
  // node:http, which leaves the body as it came (fetch would decompress it).
  const zipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    http
      .get(`${api.url}/log/tile/entries/000`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
  expect(zipped.encoding).toBe('gzip');
  expect(zipped.body.length).toBeLessThan(bytes.length);
  expect(zlib.gunzipSync(zipped.body).equals(bytes)).toBe(true);
});

test('tiles that do not exist, or are not tile paths, are 404', async () => {
  const statuses = await Promise.all(
    [
      'tile/0/002', // only the partial tile exists
      'tile/0/003',
      'tile/0/002.p/89',
      'tile/entries/002.p/89',
      'tile/1/000', // no full level-1 tile in 600 leaves
      'tile/2/000.p/1',
      'tile/0/5',
      'tile/0/x000/002',
      'tile/0/001.p/0',
      'tile/64/000',
      'tile/entries',
    ].map(async (p) => [p, (await get(p)).status]),
  );
  expect(statuses.filter(([, s]) => s !== 404)).toEqual([]);
  // A narrower partial tile is the same hashes as the start of the wider one.
  const [narrow, wide] = await Promise.all([get('tile/0/002.p/50'), get('tile/0/002.p/88')]);
  expect(narrow.status).toBe(200);
  expect(narrow.bytes.equals(wide.bytes.subarray(0, 50 * 32))).toBe(true);
});

describe('a standard Go client (golang.org/x/mod sumdb/tlog and note, torchwood’s tile client)', () => {
  const client = path.join(__dirname, 'tlog-client');
  const goRun = (vkey: string) =>
    run('go', ['run', '.', `${api.url}/log/`, vkey], { cwd: client, timeout: 170_000 }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  test('verifies the checkpoint, authenticates every entry and recomputes the root', async () => {
    const result = await goRun(verifierKey(ORIGIN, logPublicKey()));
    expect(result.stderr).toBe('');
    const audit = JSON.parse(result.stdout) as {
      origin: string;
      treeSize: number;
      rootHash: string;
      entries: string[];
    };
    const root = (await api.db('log_checkpoints').orderBy('tree_size', 'desc').first('root_hash')).root_hash as Buffer;
    expect(audit).toMatchObject({ origin: ORIGIN, treeSize: LEAVES, rootHash: root.toString('base64') });
    expect(audit.entries).toEqual(canonicals.map((c) => sha256Hex(c)));
  }, 180_000);

  test('refuses a log whose tiles were rewritten under its checkpoint', async () => {
    await ownerDb.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica'); // bypasses the append-only triggers
      await trx('log_nodes')
        .where({ level: 0, idx: 300 })
        .update({ hash: leafHash(Buffer.from('forged')) });
    });
    const result = await goRun(verifierKey(ORIGIN, logPublicKey()));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tlog-client: (tree hash from tiles|entries): .*(invalid|mismatch|malformed)/i);
  }, 180_000);
});
