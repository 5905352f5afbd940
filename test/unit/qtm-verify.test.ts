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
import { noteSignerFromKey, signCheckpoint } from '../../trust/checkpoint';
import { loadSigningKey, type SigningKey } from '../../trust/keys';
import { leafHash, MemoryTree } from '../../trust/merkle';
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
  input: Required<Omit<BundleInput, 'origin'>> & { origin: string };
}

async function makeBundle(): Promise<Bundle> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const key = await loadSigningKey({
    SIGNAL_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
    dataDir: os.tmpdir(),
  });
  const operatorId = 'op-verify';
  const sealed: Array<{ doc: RecordDocument; canonical: Buffer; hash: string }> = [];
  for (let i = 1; i <= 6; i += 1) {
    const doc = recordDocument(i, sealed.at(-1)?.hash ?? null, operatorId);
    sealed.push({ doc, ...sealDocument(doc) });
  }
  const tree = new MemoryTree(sealed.map((s) => leafHash(s.canonical)));
  const target = 3;
  const { doc, canonical, hash } = sealed[target]!;
  const checkpoint = signCheckpoint(
    { origin: ORIGIN, treeSize: tree.size, rootHash: tree.root() },
    noteSignerFromKey(key, ORIGIN),
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
  return {
    key,
    input: {
      record: canonical,
      jws,
      proof,
      checkpoint,
      jwks: JSON.stringify({ keys: [key.publicJwk] }),
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
    'record.document',
    'record.canonical',
    'signal.signature',
    'signal.type',
    'record.hash',
    'record.matches-signal',
    'checkpoint.signature',
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
    const { record, jws, proof, checkpoint, jwks } = bundle.input;
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
      '--origin',
      ORIGIN,
    ].map((a) => (a.includes('.') && !a.includes('/') ? path.join(dir, a) : a));

  test('prints every check and exits 0 for a genuine bundle', async () => {
    const { stdout } = await run(process.execPath, [bin, ...args()]);
    expect(stdout).toContain('✓ signal.signature: EdDSA signature verifies');
    expect(stdout).toContain('✓ proof.inclusion:');
    expect(stdout).toMatch(/OK: all 14 checks passed/);
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
    expect(error?.stdout).toMatch(/FAILED: 3 of 14 checks failed: record\.hash, proof\.leafHash, proof\.inclusion/);
  });

  test('exits 2 on bad usage', async () => {
    const error = await run(process.execPath, [bin, '--record', 'x']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toMatch(/--record, --proof and --jwks are required/);
  });
});
