/**
 * Evidence files over real HTTP into the real Postgres: the server computes the hash as the bytes
 * stream in and writes them to Postgres as they arrive, refuses a hash that does not match them,
 * stops a body at the size limit while it is still arriving, takes only so many uploads at once,
 * stores the same bytes once without telling anyone, keeps each upload's media type, and serves a
 * file only to those who may read it (404 to everyone else, as for a file never stored).
 * The evidence entry that references the file is sealed into the Record, and `qtm-verify --files`
 * checks exported files against that Record, as `qtm-verify --export` does with `npm run export`'s.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { writeExport } from '../cli/export';
import { main as qtmVerify } from '../cli/qtm-verify';
import { awaitEnd, driveLifecycle, type Lifecycle } from '../client/lifecycle';
import { loadConfig } from '../config';
import { fileContent } from '../db/evidence-files';
import type { Principal } from '../domain/schemas';
import { verifyExport } from '../trust/verify-export';
import { startTestApi, type TestApi } from './support/api';
import { eventually } from './support/eventually';
import { admin, newOperatorId, operator, requestBody, requester } from './support/fixtures';
import { knownOperatorId } from './support/operators';

const LIMIT = 1024 * 1024;
const CONCURRENT_UPLOADS = 2;
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ EVIDENCE_FILE_LIMIT: '1mb', EVIDENCE_UPLOAD_CONCURRENCY: String(CONCURRENT_UPLOADS) });
});
afterAll(() => api?.stop());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const boss = admin();

interface Executing extends Lifecycle {
  serviceEventId: string;
  operatorId: string;
  staff: Principal;
  alice: Principal;
}

/** An Intake driven to an open ServiceEvent. */
async function executing(known?: string): Promise<Executing> {
  const operatorId = known ?? (await knownOperatorId(api));
  const alice = requester();
  const staff = operator(operatorId);
  const ids = await driveLifecycle(
    { requester: api.as(alice), governor: api.as(boss), staff: api.as(staff) },
    { body: requestBody(), operatorId, until: 'executing' },
  );
  return { ...ids, serviceEventId: ids.serviceEventId!, operatorId, staff, alice };
}

async function upload(
  serviceEventId: string,
  bytes: Uint8Array,
  options: { as?: Principal | null; type?: string | null; query?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.as !== null) headers.authorization = `Bearer ${await api.token(options.as!)}`;
  if (options.type !== null) headers['content-type'] = options.type ?? 'image/png';
  const res = await fetch(`${api.url}/v1/service-events/${serviceEventId}/evidence/files${options.query ?? ''}`, {
    method: 'POST',
    headers,
    body: bytes,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function download(hash: string, as: Principal | null, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/v1/evidence-files/${hash}`, {
    headers: { ...(as ? { authorization: `Bearer ${await api.token(as)}` } : {}), ...headers },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const storedCount = async (hash: string) =>
  Number(
    (await api.ownerDb('evidence_files').where({ sha256: hash }).count<{ count: string }[]>('* as count'))[0]!.count,
  );

describe('upload', () => {
  let run: Executing;
  beforeAll(async () => {
    run = await executing();
  });

  test('the server computes the SHA-256 of the bytes and stores them content-addressed', async () => {
    const bytes = randomBytes(5_000);
    const res = await upload(run.serviceEventId, bytes, { as: run.staff });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      sha256: sha256(bytes),
      size: 5_000,
      mediaType: 'image/png',
      serviceEventId: run.serviceEventId,
      uploadedAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/v1/evidence-files/${sha256(bytes)}`);
    const row = await api
      .ownerDb('evidence_files')
      .where({ sha256: sha256(bytes) })
      .first();
    expect(Number(row.size)).toBe(5_000);
    expect(Buffer.compare((await fileContent(api.ownerDb, sha256(bytes)))!, bytes)).toBe(0);
  });

  test('the same bytes from two operators are stored once; neither answer tells, and each upload keeps its media type', async () => {
    const other = await executing();
    const bytes = randomBytes(300_000);
    const first = await upload(run.serviceEventId, bytes, { as: run.staff, type: 'image/jpeg' });
    const again = await upload(run.serviceEventId, bytes, { as: run.staff, type: 'image/jpeg' });
    const elsewhere = await upload(other.serviceEventId, bytes, { as: other.staff, type: 'text/html' });
    expect([first.status, again.status, elsewhere.status]).toEqual([201, 201, 201]);
    // The second uploader's answer has the shape and the values of a first upload: nothing says who came before.
    expect(Object.keys(elsewhere.body).sort()).toEqual(Object.keys(first.body).sort());
    expect(elsewhere.body).toMatchObject({ sha256: sha256(bytes), size: 300_000, mediaType: 'text/html' });
    expect(first.body).toMatchObject({ mediaType: 'image/jpeg' });
    expect(await storedCount(sha256(bytes))).toBe(1);
    // The copies streamed by the later uploads were dropped: no chunk belongs to no file.
    const { rows } = await api.ownerDb.raw(
      `SELECT count(*)::int AS n FROM evidence_file_chunks c WHERE NOT EXISTS (SELECT 1 FROM evidence_files f WHERE f.blob_id = c.blob_id)`,
    );
    expect(rows[0].n).toBe(0);
    const uploads = await api
      .ownerDb('evidence_file_uploads')
      .where({ sha256: sha256(bytes) })
      .select('service_event_id');
    expect(uploads.map((u) => u.service_event_id).sort()).toEqual([run.serviceEventId, other.serviceEventId].sort());
    // Each uploader, and the readers of its upload, get its own media type.
    expect((await download(sha256(bytes), run.staff)).headers.get('content-type')).toBe('image/jpeg');
    expect((await download(sha256(bytes), other.staff)).headers.get('content-type')).toMatch(/^text\/html/);
  });

  test('the bytes are written to Postgres while they arrive, not held until the body ends', async () => {
    const size = async () =>
      Number((await api.ownerDb.raw(`SELECT pg_total_relation_size('evidence_file_chunks') AS n`)).rows[0].n);
    const before = await size();
    const token = await api.token(run.staff);
    const piece = randomBytes(64 * 1024);
    const body = [...Array.from({ length: 12 }, () => piece), randomBytes(100)];
    const req = http.request(`${api.url}/v1/service-events/${run.serviceEventId}/evidence/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, // chunked
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
    });
    for (const part of body.slice(0, 12)) req.write(part);
    // 768 KiB sent and the body not ended: at least two 256 KiB chunks are in Postgres already.
    const grown = await eventually('chunks written while the upload streams', async () =>
      (await size()) - before >= 512 * 1024 ? (await size()) - before : undefined,
    );
    expect(grown).toBeGreaterThanOrEqual(512 * 1024);
    req.end(body[12]);
    const { status, text } = await answered;
    expect(status).toBe(201);
    expect(JSON.parse(text).sha256).toBe(sha256(Buffer.concat(body)));
    expect(Buffer.compare((await fileContent(api.ownerDb, sha256(Buffer.concat(body))))!, Buffer.concat(body))).toBe(0);
  });

  test('beyond EVIDENCE_UPLOAD_CONCURRENCY uploads at once: 503 with Retry-After; a slot freed takes the next', async () => {
    const token = await api.token(run.staff);
    const open = () => {
      const req = http.request(`${api.url}/v1/service-events/${run.serviceEventId}/evidence/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
      });
      const answer = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
      });
      req.write(randomBytes(300 * 1024));
      return { req, answer };
    };
    const holding = Array.from({ length: CONCURRENT_UPLOADS }, open);
    // Each holds its slot once it streams: its first chunk is written in its open transaction.
    await eventually('the uploads in progress', async () => {
      const { rows } = await api.ownerDb.raw(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle in transaction' AND query ILIKE 'insert into "evidence_file_chunks"%'`,
      );
      return rows[0].n >= CONCURRENT_UPLOADS ? true : undefined;
    });
    const refused = await upload(run.serviceEventId, randomBytes(100), { as: run.staff });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toContain('EVIDENCE_UPLOAD_CONCURRENCY');
    holding[0]!.req.end(randomBytes(10));
    expect(await holding[0]!.answer).toBe(201);
    expect((await upload(run.serviceEventId, randomBytes(100), { as: run.staff })).status).toBe(201);
    holding[1]!.req.end();
    expect(await holding[1]!.answer).toBe(201);
  });

  test('a client-supplied sha256 that does not match the bytes is refused, and nothing is stored', async () => {
    const bytes = randomBytes(2_000);
    const claimed = sha256(randomBytes(10));
    const res = await upload(run.serviceEventId, bytes, { as: run.staff, query: `?sha256=${claimed}` });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toContain(`the bytes hash to ${sha256(bytes)}`);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'query.sha256' })]);
    expect(await storedCount(sha256(bytes))).toBe(0);

    const matching = await upload(run.serviceEventId, bytes, { as: run.staff, query: `?sha256=${sha256(bytes)}` });
    expect(matching).toMatchObject({ status: 201, body: { sha256: sha256(bytes) } });
    expect((await upload(run.serviceEventId, bytes, { as: run.staff, query: '?sha256=ABC' })).status).toBe(400);
    // Streamed chunks of a refused upload go with it.
    const chunks = async () =>
      Number((await api.ownerDb('evidence_file_chunks').count<{ n: string }[]>('* as n'))[0]!.n);
    const before = await chunks();
    const big = randomBytes(600_000);
    const refused = await upload(run.serviceEventId, big, { as: run.staff, query: `?sha256=${claimed}` });
    expect(refused.status).toBe(400);
    expect(await chunks()).toBe(before);
  });

  test('a declared Content-Length over the limit is refused before any byte is read', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      void api.token(run.staff).then((token) => {
        const req = http.request(`${api.url}/v1/service-events/${run.serviceEventId}/evidence/files`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'image/png',
            'content-length': String(LIMIT * 100),
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders(); // headers only: not one byte of the body is ever sent
      });
    });
    expect(status).toBe(413);
  });

  test('a streamed body is refused with 413 as soon as it passes the limit, while it is still being sent', async () => {
    const token = await api.token(run.staff);
    const chunk = randomBytes(16 * 1024);
    const sent = await new Promise<{ status: number; detail: string; bytesSent: number }>((resolve, reject) => {
      let bytesSent = 0;
      let answered = false;
      const req = http.request(`${api.url}/v1/service-events/${run.serviceEventId}/evidence/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, // chunked: no length declared
      });
      req.on('response', (res) => {
        answered = true;
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode!, detail: JSON.parse(text).detail, bytesSent });
          req.destroy();
        });
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      // Keep sending, a chunk every 20 ms, never ending the body: only an answer mid-stream stops this.
      const pump = () => {
        if (answered) return;
        if (bytesSent > LIMIT * 50) return reject(new Error('no answer while streaming far past the limit'));
        req.write(chunk);
        bytesSent += chunk.length;
        setTimeout(pump, 20);
      };
      pump();
    });
    expect(sent.status).toBe(413);
    expect(sent.detail).toContain(`limit of ${LIMIT} bytes`);
    expect(sent.bytesSent).toBeLessThan(LIMIT * 50);
    // A file of exactly the limit is fine.
    expect((await upload(run.serviceEventId, randomBytes(LIMIT), { as: run.staff })).status).toBe(201);
  });

  test('the limit is 20 MB unless EVIDENCE_FILE_LIMIT says otherwise; 4 uploads at once, fewer than the pool', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).EVIDENCE_FILE_LIMIT).toBe(20 * 1024 * 1024);
    expect(loadConfig({ NODE_ENV: 'test', EVIDENCE_FILE_LIMIT: '512kb' }).EVIDENCE_FILE_LIMIT).toBe(512 * 1024);
    expect(() => loadConfig({ NODE_ENV: 'test', EVIDENCE_FILE_LIMIT: 'lots' })).toThrow(
      /^config error: EVIDENCE_FILE_LIMIT /,
    );
    expect(loadConfig({ NODE_ENV: 'test' }).EVIDENCE_UPLOAD_CONCURRENCY).toBe(4);
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_POOL_MAX: '4' }).EVIDENCE_UPLOAD_CONCURRENCY).toBe(2);
    expect(
      loadConfig({ NODE_ENV: 'test', EVIDENCE_UPLOAD_CONCURRENCY: '8', DATABASE_POOL_MAX: '20' })
        .EVIDENCE_UPLOAD_CONCURRENCY,
    ).toBe(8);
    expect(() => loadConfig({ NODE_ENV: 'test', EVIDENCE_UPLOAD_CONCURRENCY: '10' })).toThrow(
      /^config error: EVIDENCE_UPLOAD_CONCURRENCY 10 must be below DATABASE_POOL_MAX 10/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', EVIDENCE_UPLOAD_CONCURRENCY: '0' })).toThrow(
      /^config error: EVIDENCE_UPLOAD_CONCURRENCY /,
    );
  });

  test('refusals: who, what media type, an empty file, an unknown ServiceEvent', async () => {
    const bytes = randomBytes(100);
    expect((await upload(run.serviceEventId, bytes, { as: null })).status).toBe(401);
    expect((await upload(run.serviceEventId, bytes, { as: operator(newOperatorId()) })).status).toBe(403);
    // A colleague of the same operator is not the one who claimed the Job.
    const colleague = await upload(run.serviceEventId, bytes, { as: operator(run.operatorId) });
    expect(colleague.status).toBe(403);
    expect(colleague.body.detail).not.toContain(run.staff.sub);
    expect((await upload(run.serviceEventId, bytes, { as: run.alice })).status).toBe(403);
    expect((await upload(run.serviceEventId, bytes, { as: boss })).status).toBe(403);
    const untyped = await upload(run.serviceEventId, bytes, { as: run.staff, type: null });
    expect(untyped.status).toBe(415);
    expect(untyped.body.detail).toMatch(/media type as Content-Type/);
    const gzipped = await upload(run.serviceEventId, bytes, { as: run.staff, headers: { 'content-encoding': 'gzip' } });
    expect(gzipped.status).toBe(415);
    expect((await upload(run.serviceEventId, new Uint8Array(0), { as: run.staff })).status).toBe(400);
    expect((await upload('00000000-0000-4000-8000-000000000000', bytes, { as: run.staff })).status).toBe(404);
    expect(await storedCount(sha256(bytes))).toBe(0);
  });
});

describe('reading a file, evidence, the Record and qtm-verify --files', () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  let run: Executing;
  let hash: string;
  beforeAll(async () => {
    run = await executing();
    hash = (await upload(run.serviceEventId, png, { as: run.staff })).body.sha256;
  });

  test('its operator, other staff of that operator and admins read it, with its headers', async () => {
    for (const reader of [run.staff, operator(run.operatorId), boss]) {
      const res = await download(hash, reader);
      expect(res.status).toBe(200);
      expect(Buffer.compare(res.bytes, png)).toBe(0);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'content-type': 'image/png',
        'content-length': String(png.length),
        etag: `"${hash}"`,
        'cache-control': 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-disposition': `attachment; filename="${hash}.png"`,
        'content-security-policy': "default-src 'none'; sandbox",
      });
    }
    // (fetch adds Cache-Control: no-cache to a conditional request unless one is given, as a browser would.)
    const revalidated = await download(hash, run.staff, { 'if-none-match': `"${hash}"`, 'cache-control': 'max-age=0' });
    expect(revalidated.status).toBe(304);
  });

  test('another operator, or the requester before the evidence references it, gets the answer for a file never stored', async () => {
    const never = await download(sha256(randomBytes(8)), boss);
    expect(never.status).toBe(404);
    for (const who of [operator(newOperatorId()), run.alice, requester()]) {
      const res = await download(hash, who);
      expect({ status: res.status, detail: JSON.parse(res.bytes.toString()).detail }).toEqual({
        status: 404,
        detail: JSON.parse(never.bytes.toString()).detail,
      });
    }
    expect((await download(hash, null)).status).toBe(401);
    expect((await download('not-a-hash', boss)).status).toBe(400);
  });

  test('an uploaded HTML or SVG file is never rendered in the API’s origin', async () => {
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [bytes, type] of [
      [html, 'text/html'],
      [svg, 'image/svg+xml'],
    ] as const) {
      const stored = await upload(run.serviceEventId, bytes, { as: run.staff, type });
      const res = await download(stored.body.sha256, run.staff);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(res.headers.get('content-security-policy')).toContain('sandbox');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  test('the evidence entry references the hash; the requester may then read the file; the Record carries it; qtm-verify --files checks it', async () => {
    const staff = api.as(run.staff);
    const se = { params: { path: { id: run.serviceEventId } } };
    const added = await staff.POST('/v1/service-events/{id}/evidence', {
      ...se,
      body: { kind: 'photo', sha256: hash, mediaType: 'image/png', description: 'the new trap' },
    });
    expect(added.response.status).toBe(201);

    // Another operator naming the same hash in its own evidence gains nothing by it.
    const stranger = await executing();
    await api.as(stranger.staff).POST('/v1/service-events/{id}/evidence', {
      params: { path: { id: stranger.serviceEventId } },
      body: { kind: 'photo', sha256: hash },
    });
    expect((await download(hash, stranger.staff)).status).toBe(404);
    expect((await download(hash, stranger.alice)).status).toBe(404);

    const alice = await download(hash, run.alice);
    expect(alice.status).toBe(200);
    expect(alice.headers.get('content-type')).toBe('image/png');
    expect((await download(hash, requester())).status).toBe(404);

    const completed = await staff.POST('/v1/service-events/{id}/complete', {
      ...se,
      body: { outcome: 'completed', summary: 'trap replaced' },
    });
    expect(completed.response.status).toBe(202);
    // A closed ServiceEvent takes no more files.
    expect((await upload(run.serviceEventId, randomBytes(10), { as: run.staff })).status).toBe(409);

    const chain = await awaitEnd(api.as(run.alice), run.intakeId);
    const record = await api.as(run.alice).GET('/v1/records/{id}', { params: { path: { id: chain.record!.id } } });
    const bytes = Buffer.from(record.data!.canonicalBase64, 'base64');
    expect(JSON.parse(bytes.toString()).execution.evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'photo', sha256: hash })]),
    );

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-files-'));
    const recordFile = path.join(dir, 'record.json');
    fs.writeFileSync(recordFile, bytes);
    const files = path.join(dir, 'files');
    fs.mkdirSync(files);
    const verify = async () => {
      const lines: string[] = [];
      const code = await qtmVerify(
        ['--record', recordFile, '--files', files],
        (l) => lines.push(l),
        (l) => lines.push(l),
      );
      return { code, out: lines.join('\n') };
    };

    // Missing: the record's file is not there.
    expect(await verify()).toMatchObject({ code: 1, out: expect.stringContaining(`has no file in ${files}`) });
    // Named by its hash, as the API serves it.
    fs.writeFileSync(path.join(files, `${hash}.png`), alice.bytes);
    expect(await verify()).toMatchObject({ code: 0, out: expect.stringContaining(`${hash}.png hashes to ${hash}`) });
    // Bytes that are not the file's.
    fs.writeFileSync(path.join(files, `${hash}.png`), Buffer.concat([alice.bytes, Buffer.from([0])]));
    expect(await verify()).toMatchObject({ code: 1, out: expect.stringContaining(`but photo evidence`) });
    // Any name, listed in SHA256SUMS (sha256sum's format).
    fs.rmSync(path.join(files, `${hash}.png`));
    fs.writeFileSync(path.join(files, 'trap.png'), alice.bytes);
    fs.writeFileSync(path.join(files, 'SHA256SUMS'), `${hash}  trap.png\n`);
    expect(await verify()).toMatchObject({ code: 0, out: expect.stringContaining(`trap.png hashes to ${hash}`) });

    // npm run export writes the file beside the Record, and qtm-verify --export checks it there.
    const out = path.join(dir, 'export');
    const manifest = await writeExport(api.db, { out, origin: api.config.LOG_ORIGIN, keys: api.keys });
    expect(manifest.records.find((r) => r.id === chain.record!.id)?.files).toEqual([hash]);
    expect(fs.readFileSync(path.join(out, 'files', hash))).toEqual(alice.bytes);
    const fileCheck = async () =>
      (await verifyExport(out)).groups
        .find((g) => g.title.endsWith(chain.record!.id))!
        .checks.filter((c) => c.name === `files.${hash.slice(0, 12)}`);
    expect(await fileCheck()).toEqual([
      expect.objectContaining({ ok: true, detail: expect.stringContaining(`files/${hash} hashes to ${hash}`) }),
    ]);
    fs.appendFileSync(path.join(out, 'files', hash), Buffer.from([0]));
    expect(await fileCheck()).toEqual([
      expect.objectContaining({ ok: false, detail: expect.stringContaining('but photo evidence') }),
    ]);
  });
});
