/**
 * The payload codec (adapters/payload-codec.ts) and its key ring from configuration: AES-256-GCM over
 * the whole payload, the key id in the metadata, pass-through of unencrypted payloads, rotation,
 * tampering refused, and a ring that is required in production and generated in development.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../config';
import {
  EncryptionCodec,
  ENCRYPTED_ENCODING,
  formatPayloadKeys,
  KEY_ID_METADATA,
  newPayloadKey,
  parsePayloadKeys,
  rotatedPayloadKeys,
  type PayloadKey,
} from '../../adapters/payload-codec';
import { loadPayloadKeys, payloadKeysFile, temporalDataConverter } from '../../adapters/temporal-connection';

const PERSONAL = { name: 'Ada Lovelace', phone: '+44 20 7946 0958', details: 'Key under the mat' };
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const key = (id: string, fill: number): PayloadKey => ({ id, key: Buffer.alloc(32, fill) });

test('encode encrypts the whole payload under the current key, and decode gives it back exactly', async () => {
  const codec = new EncryptionCodec([key('current', 1), key('older', 2)]);
  const original = plain(PERSONAL);
  const [encrypted] = await codec.encode([original]);
  expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
  expect(text(encrypted!.metadata![KEY_ID_METADATA])).toBe('current');
  // Only the two metadata entries: not even the original encoding (json/plain) shows.
  expect(Object.keys(encrypted!.metadata!).sort()).toEqual([KEY_ID_METADATA, 'encoding'].sort());
  const raw = Buffer.from(encrypted!.data!).toString('latin1');
  for (const value of [...Object.values(PERSONAL), 'json/plain']) expect(raw).not.toContain(value);
  const [decoded] = await codec.decode([encrypted!]);
  expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(PERSONAL);
  // A fresh nonce each time: the same value never gives the same bytes.
  const [again] = await codec.encode([original]);
  expect(Buffer.from(again!.data!).equals(Buffer.from(encrypted!.data!))).toBe(false);
});

test('payloads without the encrypted encoding pass through decode unchanged (histories from before the codec)', async () => {
  const codec = new EncryptionCodec([key('k', 1)]);
  const payloads = [plain(PERSONAL), plain(null), plain(new Uint8Array([1, 2, 3])), {}];
  expect(await codec.decode(payloads)).toEqual(payloads);
  expect(await codec.encode([])).toEqual([]);
});

test('rotation: payloads written under an old key still decode once a new key is current', async () => {
  const before = [key('2026-01-01-aaaaaa', 1)];
  const [old] = await new EncryptionCodec(before).encode([plain(PERSONAL)]);
  const after = rotatedPayloadKeys(before, new Date('2026-06-01T00:00:00Z'));
  expect(after.map((k) => k.id)).toEqual([expect.stringMatching(/^2026-06-01-[0-9a-f]{6}$/), '2026-01-01-aaaaaa']);
  const rotated = new EncryptionCodec(after);
  const [fresh] = await rotated.encode([plain(PERSONAL)]);
  expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe(after[0]!.id);
  const decoded = await rotated.decode([old!, fresh!]);
  expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([PERSONAL, PERSONAL]);
  // A ring that dropped the old key says which key it lacks, and nothing else.
  await expect(new EncryptionCodec([after[0]!]).decode([old!])).rejects.toThrow(
    'a payload is encrypted under key 2026-01-01-aaaaaa, which the key ring (TEMPORAL_PAYLOAD_KEYS) lacks',
  );
});

test('an altered payload, or one relabelled with another key of the ring, does not decode', async () => {
  const codec = new EncryptionCodec([key('a', 1), key('b', 1)]);
  const [encrypted] = await codec.encode([plain(PERSONAL)]);
  const flipped = Buffer.from(encrypted!.data!);
  flipped[20] = flipped[20]! ^ 1;
  await expect(codec.decode([{ ...encrypted!, data: flipped }])).rejects.toThrow(
    "an encrypted payload (key a) does not authenticate: altered, or another key's",
  );
  // Same key bytes under another id: the id is authenticated data, so the relabelling is caught.
  const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
  await expect(codec.decode([relabelled])).rejects.toThrow(/key b\) does not authenticate/);
  const noId = { ...encrypted!, metadata: { encoding: encrypted!.metadata!.encoding! } };
  await expect(codec.decode([noId])).rejects.toThrow(`an encrypted payload names no ${KEY_ID_METADATA}`);
  await expect(codec.decode([{ ...encrypted!, data: Buffer.alloc(5) }])).rejects.toThrow(/is truncated/);
});

test('key rings are id:base64 lists or JSON; bad ones are refused without quoting a key', () => {
  const a = newPayloadKey();
  const b = newPayloadKey();
  expect(parsePayloadKeys(formatPayloadKeys([a, b]))).toEqual([a, b]);
  expect(parsePayloadKeys(` ${a.id}:${a.key.toString('base64')}\n${b.id}:${b.key.toString('base64')} `)).toEqual([
    a,
    b,
  ]);
  expect(parsePayloadKeys(JSON.stringify([a, b].map((k) => ({ id: k.id, key: k.key.toString('base64') }))))).toEqual([
    a,
    b,
  ]);
  const short = Buffer.alloc(16).toString('base64');
  for (const [ring, message] of [
    ['', 'holds no key'],
    [`k1:${short}`, 'key k1 must be 32 bytes, base64-encoded (id:base64key)'],
    [`k1`, 'key k1 must be 32 bytes'],
    [`bad/id:${a.key.toString('base64')}`, 'entry 1: the key id must be'],
    [`k1:${'%'.repeat(44)}`, 'key k1 must be 32 bytes'],
    [`${a.id}:${a.key.toString('base64')},${a.id}:${b.key.toString('base64')}`, `names key ${a.id} twice`],
    ['[{"id": 1}]', 'entry 1: the key id must be'],
    ['[nope', 'is not a JSON array'],
  ] as const)
    expect(() => parsePayloadKeys(ring)).toThrow(message);
  // As configuration: one line naming the variable, never its value.
  const secret = a.key.toString('base64');
  let line = '';
  try {
    loadConfig({ NODE_ENV: 'development', TEMPORAL_PAYLOAD_KEYS: `${a.id}:${secret.slice(0, 20)}` });
  } catch (error) {
    line = (error as Error).message;
  }
  expect(line).toMatch(/^config error: TEMPORAL_PAYLOAD_KEYS key .* must be 32 bytes/);
  expect(line).not.toContain(secret.slice(0, 20));
});

test('development generates the ring into DATA_DIR/keys once (private), and TEMPORAL_PAYLOAD_KEYS overrides it', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-payload-keys-'));
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
  const first = loadPayloadKeys(config);
  expect(first).toHaveLength(1);
  expect(fs.statSync(payloadKeysFile(config)).mode & 0o777).toBe(0o600);
  expect(loadPayloadKeys(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }))).toEqual(first);
  const given = [newPayloadKey()];
  const configured = loadConfig({
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    TEMPORAL_PAYLOAD_KEYS: formatPayloadKeys(given),
  });
  expect(loadPayloadKeys(configured)).toEqual(given);
  // The data converter every client and worker gets: this ring's codec, or none when switched off to measure.
  const converter = temporalDataConverter(configured);
  const [encoded] = await converter.payloadCodecs![0]!.encode([plain('x')]);
  expect(text(encoded!.metadata![KEY_ID_METADATA])).toBe(given[0]!.id);
  expect(
    temporalDataConverter(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, TEMPORAL_PAYLOAD_CODEC: 'off' })),
  ).toEqual({});
});

test('npm run keys -- rotate --payload: a new current key in front, the old ones kept; --env prints the variable', async () => {
  const { main } = await import('../../cli/keys');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-payload-rotate-'));
  const saved = { DATA_DIR: process.env.DATA_DIR, TEMPORAL_PAYLOAD_KEYS: process.env.TEMPORAL_PAYLOAD_KEYS };
  process.env.DATA_DIR = dataDir;
  delete process.env.TEMPORAL_PAYLOAD_KEYS;
  try {
    const before = loadPayloadKeys(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }));
    const lines: string[] = [];
    expect(await main(['rotate', '--payload'], (l) => lines.push(l))).toBe(0);
    const after = loadPayloadKeys(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }));
    expect(after.slice(1)).toEqual(before);
    expect(lines).toEqual(expect.arrayContaining([`  current  ${after[0]!.id}`, `  older    ${before[0]!.id}`]));
    // Listing shows ids only, never a key.
    expect(lines.join('\n')).not.toContain(before[0]!.key.toString('base64'));
    process.env.TEMPORAL_PAYLOAD_KEYS = formatPayloadKeys(after);
    const printed: string[] = [];
    expect(await main(['rotate', '--payload', '--env'], (l) => printed.push(l))).toBe(0);
    const variable = /^TEMPORAL_PAYLOAD_KEYS='(.*)'$/.exec(printed.at(-1)!)![1]!;
    expect(parsePayloadKeys(variable).slice(1)).toEqual(after);
  } finally {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
});
