/**
 * qtm-verify on a bundle made by the real signing code (no database needed): a valid bundle passes
 * every check; flipping any byte of the Record, the proof, the checkpoint or the Signal fails, and
 * the failing checks name the artifact that broke. The CLI itself is run as a process at the end.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { noteSignerFromKey, parseNote, signCheckpoint, verifierKey } from '../../trust/log-checkpoint';
import { cosignatureKeyId, cosignedMessage, parseWitnessKey, witnessVerifierKey } from '../../trust/log-cosignature';
import { loadSigningKey, type SigningKey } from '../../trust/keys';
import { leafHash, MemoryTree } from '../../trust/log-merkle';
import { RECORD_TYPE, sealDocument, type RecordDocument } from '../../trust/record';
import { buildSignal, signSignal } from '../../trust/signal';
import { failures, verifyBundle, type BundleInput } from '../../trust/verify-bundle';

const ORIGIN = 'qtm.test/records';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();

function recordDocument(sequence: number, prevHash: string | null, operatorId: string): RecordDocument {
  const sub = `${operatorId}-staff`;
  return {
    type: RECORD_TYPE,
    recordId: randomUUID(),
    sequence,
    prevHash,
    sealedAt: at(50),
    chain: {
      actorId: randomUUID(),
      requestId: randomUUID(),
      intakeId: randomUUID(),
      taskId: randomUUID(),
      jobId: randomUUID(),
      serviceEventId: randomUUID(),
    },
    workflow: { workflowId: `intake-${randomUUID()}`, runId: randomUUID() },
    request: {
      channel: 'web',
      receivedAt: at(0),
      submittedBy: { sub: 'alice', role: 'requester' },
      payload: { request: { category: 'plumbing', summary: 'Leaking sink – “urgent”' } },
      payloadSha256: 'b'.repeat(64),
    },
    governance: [
      { kind: 'approve', audience: 'operator', by: { sub, role: 'operator', operatorId }, at: at(5), details: {} },
    ],
    job: { operatorId, createdAt: at(6), createdBy: { sub, role: 'operator', operatorId: null } },
    claim: { by: sub, at: at(7) },
    execution: {
      openedBy: sub,
      openedAt: at(8),
      stages: [{ stage: 'on_site', at: at(20), by: sub }],
      evidence: [{ id: randomUUID(), seq: 1, kind: 'photo', sha256: 'a'.repeat(64) }],
      closedBy: sub,
      closedAt: at(45),
    },
    outcome: { status: 'completed', summary: 'Replaced the trap seal' },
  };
}

interface Bundle {
  key: SigningKey;
  logKey: SigningKey;
  witness: { vkey: string; cosign(note: string, at?: number): string };
  input: BundleInput & { jws: string; checkpoint: string; logKeys: string; origin: string };
}

async function freshKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return loadSigningKey({ SIGNAL_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)), dataDir: os.tmpdir() });
}

/** A witness of our own making: cosignature/v1 lines over a note's checkpoint (what litewitness returns). */
export function testWitness(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const key = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  return {
    vkey: witnessVerifierKey(name, raw),
    cosign(note: string, at = 1_767_600_000): string {
      const { text } = parseNote(note);
      const time = Buffer.alloc(8);
      time.writeBigUInt64BE(BigInt(at));
      const signature = sign(null, cosignedMessage(text, BigInt(at)), key);
      return `${note}\u2014 ${name} ${Buffer.concat([cosignatureKeyId(name, raw), time, signature]).toString('base64')}\n`;
    },
  };
}

async function makeBundle(): Promise<Bundle> {
  const key = await freshKey();
  const logKey = await freshKey();
  const witness = testWitness('witness.test/w1');
  const operatorId = 'op-verify';
  const sealed: Array<{ doc: RecordDocument; canonical: Buffer; hash: string }> = [];
  for (let i = 1; i <= 6; i += 1) {
    const doc = recordDocument(i, sealed.at(-1)?.hash ?? null, operatorId);
    sealed.push({ doc, ...sealDocument(doc) });
  }
  const tree = new MemoryTree(sealed.map((s) => leafHash(s.canonical)));
  const target = 3;
  const { doc, canonical, hash } = sealed[target]!;
  const checkpoint = witness.cosign(
    signCheckpoint({ origin: ORIGIN, treeSize: tree.size, rootHash: tree.root() }, noteSignerFromKey(logKey, ORIGIN)),
  );
  const jws = await signSignal(
    buildSignal({
      signalId: randomUUID(),
      issuer: 'did:web:qtm.test',
      operatorId,
      intakeId: doc.chain.intakeId,
      jobId: doc.chain.jobId,
      serviceEventId: doc.chain.serviceEventId,
      recordId: doc.recordId,
      recordHash: hash,
      recordSequence: doc.sequence,
      category: 'plumbing',
      completedAt: doc.execution.closedAt,
      sealedAt: doc.sealedAt,
      logLeafIndex: target,
    }),
    key,
  );
  const proof = JSON.stringify({
    recordId: doc.recordId,
    leafIndex: target,
    treeSize: tree.size,
    leafHash: leafHash(canonical).toString('hex'),
    rootHash: tree.root().toString('hex'),
    auditPath: tree.inclusionProof(target).map((h) => h.toString('hex')),
    checkpoint,
  });
  const logPublic = Buffer.from(logKey.publicJwk.x!, 'base64url');
  return {
    key,
    logKey,
    witness,
    input: {
      record: canonical,
      jws,
      proof,
      checkpoint,
      jwks: JSON.stringify({ keys: [key.publicJwk] }),
      logKeys: JSON.stringify({ origin: ORIGIN, keys: [{ verifierKey: verifierKey(ORIGIN, logPublic) }] }),
      witnessPolicy: { witnesses: [parseWitnessKey(witness.vkey)], threshold: 1 },
      origin: ORIGIN,
    },
  };
}

let bundle: Bundle;
beforeAll(async () => {
  bundle = await makeBundle();
});

test('a genuine bundle passes every check', async () => {
  const checks = await verifyBundle(bundle.input);
  expect(checks.filter((c) => !c.ok)).toEqual([]);
  expect(checks.map((c) => c.name)).toEqual([
    'jwks',
    'log.keys',
    'record.document',
    'record.canonical',
    'signal.signature',
    'signal.key',
    'signal.type',
    'record.hash',
    'record.matches-signal',
    'checkpoint.signature',
    'checkpoint.witness witness.test/w1',
    'checkpoint.witness-policy',
    'proof.format',
    'proof.record',
    'proof.leafHash',
    'proof.leafIndex',
    'proof.checkpointHead',
    'proof.inclusion',
  ]);
});

type Artifact = 'record' | 'proof' | 'checkpoint' | 'jws';
const PREFIX: Record<Artifact, string> = {
  record: 'record.',
  proof: 'proof.',
  checkpoint: 'checkpoint.',
  jws: 'signal.',
};

/** Flips one bit of one byte of an artifact (as bytes: a flip may well make invalid UTF-8). */
function flipped(input: BundleInput, artifact: Artifact, index: number, bit: number): BundleInput {
  const bytes = Buffer.from(artifact === 'record' ? input.record : (input[artifact] as string));
  bytes[index] = bytes[index]! ^ (1 << bit);
  const asText = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return { ...input, [artifact]: artifact === 'record' ? bytes : artifact === 'jws' ? asText.trim() : asText };
}

const sizeOf = (input: BundleInput, artifact: Artifact) =>
  Buffer.byteLength(artifact === 'record' ? Buffer.from(input.record) : (input[artifact] as string));

describe.each<Artifact>(['record', 'proof', 'checkpoint', 'jws'])('flipping any byte of the %s', (artifact) => {
  test('fails verification and names it', async () => {
    const unnoticed: string[] = [];
    const misnamed: string[] = [];
    const size = sizeOf(bundle.input, artifact);
    for (let i = 0; i < size; i += 1) {
      // The lowest bit of every byte, and on every fifth byte another bit too (all 8 get exercised).
      for (const bit of i % 5 === 0 ? [0, 1 + ((i / 5) % 7)] : [0]) {
        const failed = failures(await verifyBundle(flipped(bundle.input, artifact, i, bit)));
        if (failed.length === 0) unnoticed.push(`byte ${i} bit ${bit}`);
        else if (!failed.some((c) => c.name.startsWith(PREFIX[artifact])))
          misnamed.push(`byte ${i} bit ${bit}: ${failed.map((c) => c.name).join(', ')}`);
      }
    }
    expect(unnoticed).toEqual([]);
    expect(misnamed).toEqual([]);
    expect(size).toBeGreaterThan(100);
    // A few seconds normally; the headroom is for a heavily loaded CI machine.
  }, 240_000);
});

describe('the qtm-verify command', () => {
  const run = promisify(execFile);
  const bin = path.join(__dirname, '..', '..', 'bin', 'qtm-verify.js');
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-verify-'));
    const { record, jws, proof, checkpoint, jwks, logKeys } = bundle.input;
    fs.writeFileSync(path.join(dir, 'log-keys.json'), logKeys);
    fs.writeFileSync(path.join(dir, 'record.json'), record);
    fs.writeFileSync(path.join(dir, 'signal.jws'), `${jws}\n`);
    fs.writeFileSync(path.join(dir, 'proof.json'), proof);
    fs.writeFileSync(path.join(dir, 'checkpoint.note'), checkpoint);
    fs.writeFileSync(path.join(dir, 'jwks.json'), jwks);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const args = (record = 'record.json') =>
    [
      '--record',
      record,
      '--signal',
      'signal.jws',
      '--proof',
      'proof.json',
      '--checkpoint',
      'checkpoint.note',
      '--jwks',
      'jwks.json',
      '--log-keys',
      'log-keys.json',
      '--origin',
      ORIGIN,
      '--witness',
      bundle.witness.vkey,
    ].map((a) => (/^[\w-]+\.(json|jws|note)$/.test(a) ? path.join(dir, a) : a));

  test('prints every check and exits 0 for a genuine bundle', async () => {
    const { stdout } = await run(process.execPath, [bin, ...args()]);
    expect(stdout).toContain('✓ signal.signature: EdDSA signature verifies');
    expect(stdout).toContain('✓ proof.inclusion:');
    expect(stdout).toMatch(/OK: all 18 checks passed/);
  });

  test('exits 1 and names what broke for a changed record', async () => {
    const bytes = fs.readFileSync(path.join(dir, 'record.json'));
    fs.writeFileSync(
      path.join(dir, 'changed.json'),
      Buffer.from(bytes.toString('utf8').replace('Replaced the trap seal', 'Replaced the trap seat')),
    );
    const error = await run(process.execPath, [bin, ...args('changed.json')]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stdout).toMatch(
      /✗ record\.hash: the record bytes hash to [0-9a-f]{64}, but the Signal attests sha256:/,
    );
    expect(error?.stdout).toMatch(/✗ proof\.inclusion:/);
    expect(error?.stdout).toMatch(/FAILED: 3 of 18 checks failed: record\.hash, proof\.leafHash, proof\.inclusion/);
  });

  test('exits 2 on bad usage', async () => {
    const error = await run(process.execPath, [bin, '--record', 'x']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toMatch(/--record, --proof, --jwks and --log-keys \(or --log-key\) are required/);
    const badPolicy = await run(process.execPath, [bin, ...args(), '--witness-threshold', '2']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(badPolicy?.code).toBe(2);
    expect(badPolicy?.stderr).toMatch(/--witness-threshold must be a whole number from 1 to 1/);
  });
});

describe('witness policy', () => {
  const policyChecks = async (input: BundleInput) =>
    (await verifyBundle(input)).filter((c) => c.name.startsWith('checkpoint.witness'));

  test('a forged cosignature fails, and so does one by a witness not in the policy', async () => {
    const { input, witness } = bundle;
    // Same witness name and key id, signature of another key: forged.
    const impostor = testWitness('witness.test/w1');
    const forgedLine = parseNote(impostor.cosign(input.checkpoint.split('\n\u2014 witness.test/w1')[0]! + '\n'));
    const logSigned = input.checkpoint.slice(0, input.checkpoint.indexOf('\u2014 witness.test/w1'));
    const genuineLine = input.checkpoint.slice(logSigned.length);
    const forgedBlob = forgedLine.signatures.at(-1)!;
    const keyId = parseWitnessKey(witness.vkey).keyId;
    const forged = `${logSigned}\u2014 witness.test/w1 ${Buffer.concat([keyId, forgedBlob.signature]).toString('base64')}\n`;
    expect(forged).not.toBe(input.checkpoint);
    const checks = await policyChecks({ ...input, checkpoint: forged });
    expect(failures(checks).map((c) => c.name)).toEqual([
      'checkpoint.witness witness.test/w1',
      'checkpoint.witness-policy',
    ]);
    expect(checks[0]!.detail).toMatch(/does not verify/);

    // The genuine line with a changed timestamp is a forgery too (the time is signed).
    const blob = Buffer.from(genuineLine.trim().split(' ').at(-1)!, 'base64');
    blob.writeBigUInt64BE(blob.readBigUInt64BE(4) + 1n, 4);
    const retimed = `${logSigned}\u2014 witness.test/w1 ${blob.toString('base64')}\n`;
    expect(failures(await policyChecks({ ...input, checkpoint: retimed })).map((c) => c.name)).toContain(
      'checkpoint.witness-policy',
    );

    // Without the cosignature: the log's signature still verifies, the policy does not hold.
    const bare = await verifyBundle({
      ...input,
      checkpoint: logSigned,
      proof: JSON.stringify({ ...JSON.parse(input.proof), checkpoint: logSigned }),
    });
    expect(failures(bare).map((c) => c.name)).toEqual(['checkpoint.witness-policy']);

    // 1 of 2 given witnesses with k = 2 fails; with k = 1 passes.
    const other = testWitness('witness.test/w2');
    const two = [parseWitnessKey(witness.vkey), parseWitnessKey(other.vkey)];
    expect(
      failures(await policyChecks({ ...input, witnessPolicy: { witnesses: two, threshold: 2 } })).map((c) => c.name),
    ).toEqual(['checkpoint.witness-policy']);
    expect(failures(await policyChecks({ ...input, witnessPolicy: { witnesses: two, threshold: 1 } }))).toEqual([]);
    expect(
      failures(
        await policyChecks({
          ...input,
          checkpoint: other.cosign(input.checkpoint),
          witnessPolicy: { witnesses: two, threshold: 2 },
        }),
      ),
    ).toEqual([]);
  });

  test('the qtm-verify command fails a forged cosignature', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-forged-'));
    try {
      const { input, witness } = bundle;
      const impostor = testWitness('witness.test/w1');
      const logSigned = input.checkpoint.slice(0, input.checkpoint.indexOf('\u2014 witness.test/w1'));
      const forgedSig = parseNote(impostor.cosign(logSigned)).signatures.at(-1)!;
      const forged = `${logSigned}\u2014 witness.test/w1 ${Buffer.concat([parseWitnessKey(witness.vkey).keyId, forgedSig.signature]).toString('base64')}\n`;
      fs.writeFileSync(path.join(dir, 'record.json'), input.record);
      fs.writeFileSync(
        path.join(dir, 'proof.json'),
        JSON.stringify({ ...JSON.parse(input.proof), checkpoint: forged }),
      );
      fs.writeFileSync(path.join(dir, 'jwks.json'), input.jwks);
      fs.writeFileSync(path.join(dir, 'log-keys.json'), input.logKeys);
      const run = promisify(execFile);
      const bin = path.join(__dirname, '..', '..', 'bin', 'qtm-verify.js');
      const argv = [
        '--record',
        'record.json',
        '--proof',
        'proof.json',
        '--jwks',
        'jwks.json',
        '--log-keys',
        'log-keys.json',
      ].map((a) => (a.endsWith('.json') ? path.join(dir, a) : a));
      const result = await run(process.execPath, [bin, ...argv, '--witness', witness.vkey]).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /✗ checkpoint\.witness witness\.test\/w1: the cosignature of witness\.test\/w1 \(key [0-9a-f]{8}\) does not verify/,
      );
      expect(result.stdout).toMatch(
        /FAILED: 2 of \d+ checks failed: checkpoint\.witness witness\.test\/w1, checkpoint\.witness-policy/,
      );
      // The same files without a witness policy verify: the log's own signature is intact.
      const noPolicy = await run(process.execPath, [bin, ...argv]).then(({ stdout }) => stdout);
      expect(noPolicy).toMatch(/OK: all \d+ checks passed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
