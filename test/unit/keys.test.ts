/**
 * Key rings, pure: a development data folder from before rotation (one key that signed both
 * Signals and checkpoints) carries over; environment rings parse strictly; a rotation keeps the
 * old key public only, with its validity period, and prints back as environment values.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import {
  loadTrustKeys,
  newPrivateJwk,
  ringFileFromEnv,
  ringFromFile,
  ringToEnv,
  rotatedRing,
  rotateDevRing,
} from '../../trust/keys';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-keys-'));

test('a pre-rotation data folder: its one key stays the Signal key and becomes a retired log key', async () => {
  const dataDir = tmp();
  try {
    const legacy = await newPrivateJwk();
    fs.mkdirSync(path.join(dataDir, 'keys'));
    fs.writeFileSync(path.join(dataDir, 'keys', 'signal-ed25519.jwk.json'), JSON.stringify(legacy));
    const legacyKid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: legacy.x });
    const keys = await loadTrustKeys({ dataDir });
    expect(keys.signal.current.kid).toBe(legacyKid);
    expect(keys.log.current.kid).not.toBe(legacyKid);
    expect(keys.log.published.map((k) => [k.kid, k.validUntil === null])).toEqual([
      [legacyKid, false],
      [keys.log.current.kid, true],
    ]);
    // Loaded again (another process), the same rings.
    const again = await loadTrustKeys({ dataDir });
    expect(again.log.current.kid).toBe(keys.log.current.kid);

    await rotateDevRing({ dataDir }, 'signal');
    const rotated = await loadTrustKeys({ dataDir });
    expect(rotated.signal.published.map((k) => k.kid)).toEqual([legacyKid, rotated.signal.current.kid]);
    expect(rotated.signal.published[0]!.publicJwk).toMatchObject({ kid: legacyKid, exp: expect.any(Number) });
    expect(rotated.signal.published[0]!.publicJwk.d).toBeUndefined();
    expect(
      JSON.stringify(JSON.parse(fs.readFileSync(path.join(dataDir, 'keys', 'signal-keys.json'), 'utf8')).retired),
    ).not.toContain(legacy.d!);
    expect(rotated.log.current.kid).toBe(keys.log.current.kid);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('environment rings: current private key, retired public keys with nbf/exp; rotation prints the next values', async () => {
  const current = await newPrivateJwk();
  const file = ringFileFromEnv(JSON.stringify({ ...current, nbf: 1_700_000_000 }), undefined, 'log');
  const rotated = await rotatedRing(file, new Date('2026-12-01T12:00:00Z'));
  const env = ringToEnv(rotated, 'log');
  expect(Object.keys(env)).toEqual(['LOG_SIGNING_KEY', 'LOG_RETIRED_KEYS']);
  const retired = JSON.parse(env.LOG_RETIRED_KEYS!);
  expect(retired).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: current.x, nbf: 1_700_000_000, exp: 1_796_126_400 }]);
  const ring = await ringFromFile('log', ringFileFromEnv(env.LOG_SIGNING_KEY!, env.LOG_RETIRED_KEYS, 'log'), 'env');
  expect(ring.published.map((k) => [k.validFrom, k.validUntil])).toEqual([
    ['2023-11-14T22:13:20.000Z', '2026-12-01T12:00:00.000Z'],
    ['2026-12-01T12:00:00.000Z', null],
  ]);
  expect(() => ringFileFromEnv('{"kty":"OKP"}', undefined, 'log')).toThrow(
    /LOG_SIGNING_KEY must be an Ed25519 private JWK/,
  );
  expect(() => ringFileFromEnv(JSON.stringify(current), JSON.stringify([{ ...current }]), 'signal')).toThrow(
    /holds a private key; retired keys are public only/,
  );
  expect(() =>
    ringFileFromEnv(JSON.stringify(current), JSON.stringify([{ kty: 'OKP', crv: 'Ed25519', x: current.x }]), 'signal'),
  ).toThrow(/SIGNAL_RETIRED_KEYS\[0\] needs "exp"/);
  // One key for both is refused.
  await expect(
    loadTrustKeys({
      dataDir: os.tmpdir(),
      SIGNAL_SIGNING_KEY: JSON.stringify(current),
      LOG_SIGNING_KEY: JSON.stringify(current),
    }),
  ).rejects.toThrow(/must be different keys/);
});

test('processes starting at once on a new data folder (a worker and APIs) all load the same keys', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const load = path.join(__dirname, '..', '..', 'trust', 'keys.ts');
  const script =
    `const k = require(${JSON.stringify(load)});` +
    // Every process loaded first, then all go at the same instant: the first start of a stack.
    'while (Date.now() < Number(process.argv[2]));' +
    'Promise.all([k.loadTrustKeys({ dataDir: process.argv[1] }), k.loadAuthSecret({ dataDir: process.argv[1] })])' +
    '.then(([t, s]) => console.log(JSON.stringify([t.signal.current.kid, t.log.current.kid, Buffer.from(s).toString("hex")])))';
  for (let round = 0; round < 3; round += 1) {
    const dataDir = tmp();
    const at = Date.now() + 4_000;
    try {
      const outputs = await Promise.all(
        Array.from({ length: 8 }, () =>
          promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script, dataDir, String(at)]).then((r) =>
            r.stdout.trim(),
          ),
        ),
      );
      expect(new Set(outputs).size).toBe(1);
      expect(JSON.parse(outputs[0]!)).toHaveLength(3);
      expect(fs.readdirSync(path.join(dataDir, 'keys')).sort()).toEqual([
        'auth-jwt-secret',
        'log-keys.json',
        'signal-keys.json',
      ]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}, 60_000);
