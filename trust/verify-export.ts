/**
 * Offline verification of a whole export: every checkpoint's signature, consistency between
 * consecutive checkpoints, the Record chain (hashes and links), every Record's inclusion proof and
 * Signal, and finally the log itself: the root recomputed from the bytes of every Record must be
 * the latest signed root, so a Record changed, dropped or reordered anywhere is caught.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MemoryTree, leafHash, verifyConsistency } from './log-merkle';
import { EXPORT_FORMAT, EXPORT_FORMATS, exportPaths, type ExportManifest } from './export-format';
import { verifyRecord, type RecordDocument } from './record';
import { fileCheckName, fileHashCheck, referencedFiles } from './verify-files';
import {
  checkCheckpoint,
  checkJwks,
  checkLogKeys,
  checkProof,
  checkRecordBytes,
  checkSignal,
  checkWitnesses,
  parseProof,
  type Check,
  type LogKey,
  type WitnessPolicy,
} from './verify-bundle';
import { noteKeyId } from './log-checkpoint';
import type { OpenedCheckpoint } from './log-checkpoint';

export interface ExportReport {
  /** Checks about the export as a whole, then per Record. */
  groups: Array<{ title: string; checks: Check[] }>;
}

const fail = (name: string, detail: string): Check => ({ name, ok: false, detail });
const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });

export async function verifyExport(
  dir: string,
  options: { witnessPolicy?: WitnessPolicy } = {},
): Promise<ExportReport> {
  const read = (file: string) => fs.readFileSync(path.join(dir, file));
  const text = (file: string) => new TextDecoder('utf-8', { fatal: true }).decode(read(file));
  const groups: ExportReport['groups'] = [];
  const general: Check[] = [];
  groups.push({ title: `export ${dir}`, checks: general });

  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text(exportPaths.manifest)) as ExportManifest;
    if (
      !(EXPORT_FORMATS as readonly string[]).includes(manifest.format) ||
      !Array.isArray(manifest.records) ||
      !Array.isArray(manifest.checkpoints)
    )
      throw new Error(`not a ${EXPORT_FORMAT} manifest`);
    general.push(
      pass(
        'export.manifest',
        `${manifest.records.length} records, ${manifest.checkpoints.length} checkpoints of ${manifest.origin}`,
      ),
    );
  } catch (error) {
    general.push(fail('export.manifest', (error as Error).message));
    return { groups };
  }
  const safely = <T>(name: string, work: () => T): T | null => {
    try {
      return work();
    } catch (error) {
      general.push(fail(name, (error as Error).message));
      return null;
    }
  };

  const jwksText = safely('jwks', () => text(exportPaths.jwks));
  const { checks: keyChecks, jwks } = jwksText === null ? { checks: [], jwks: null } : checkJwks(jwksText);
  general.push(...keyChecks);
  // v1 exports predate separate log keys: their checkpoints were signed by the Signal key.
  const logKeysText = manifest.format === 'qtm-export/v1' ? null : safely('log.keys', () => text(exportPaths.logKeys));
  const { checks: logKeyChecks, logKeys } =
    logKeysText !== null
      ? checkLogKeys({ file: logKeysText })
      : manifest.format === 'qtm-export/v1' && jwks
        ? checkLogKeys({
            file: JSON.stringify({
              keys: jwks.keys.map((k) => ({ verifierKey: v1VerifierKey(manifest.origin, k) })),
            }),
          })
        : { checks: [], logKeys: null };
  general.push(...logKeyChecks);

  // Checkpoints: each signed, sizes strictly growing, each consistent with the one before.
  const opened: Array<{ treeSize: number; checkpoint: OpenedCheckpoint | null; note: string | null }> = [];
  for (const entry of manifest.checkpoints) {
    const note = safely(`checkpoint ${entry.treeSize}`, () => text(entry.file));
    const result = checkCheckpoint(note, logKeys, manifest.origin);
    for (const c of result.checks) general.push({ ...c, name: `checkpoint ${entry.treeSize}: ${c.name}` });
    if (result.opened && result.opened.checkpoint.treeSize !== entry.treeSize)
      general.push(
        fail(`checkpoint ${entry.treeSize}: size`, `the note is for tree size ${result.opened.checkpoint.treeSize}`),
      );
    opened.push({ treeSize: entry.treeSize, checkpoint: result.opened, note });
  }
  for (let i = 1; i < opened.length; i += 1) {
    const [a, b] = [opened[i - 1]!, opened[i]!];
    const name = `log.consistency ${a.treeSize} → ${b.treeSize}`;
    const entry = manifest.consistency.find((c) => c.from === a.treeSize && c.to === b.treeSize);
    if (!entry) {
      general.push(fail(name, 'no consistency proof in the export'));
      continue;
    }
    const proof = safely(name, () =>
      (JSON.parse(text(entry.file)) as { proof: string[] }).proof.map((h) => Buffer.from(h, 'hex')),
    );
    if (!proof || !a.checkpoint || !b.checkpoint) continue;
    const ok =
      b.treeSize > a.treeSize &&
      verifyConsistency(
        a.treeSize,
        b.treeSize,
        a.checkpoint.checkpoint.rootHash,
        b.checkpoint.checkpoint.rootHash,
        proof,
      );
    general.push(
      ok
        ? pass(name, 'the later tree extends the earlier one (RFC 9162)')
        : fail(name, 'the later checkpoint does not extend the earlier one'),
    );
  }
  const latest = opened.at(-1) ?? null;
  if (logKeys) general.push(...keyOrderChecks(opened, logKeys));
  // The witness policy must hold for the latest checkpoint; the earlier ones are tied to it by the consistency proofs.
  if (latest?.checkpoint && options.witnessPolicy)
    for (const c of checkWitnesses(latest.note, options.witnessPolicy, `checkpoint ${latest.treeSize}`))
      general.push(c);

  // Records, in chain order.
  const records = [...manifest.records].sort((x, y) => x.sequence - y.sequence);
  const tree = new MemoryTree();
  let previous: { id: string; sequence: number; hash: string } | null = null;
  for (const entry of records) {
    const checks: Check[] = [];
    groups.push({ title: `record ${entry.sequence} ${entry.id}`, checks });
    let bytes: Buffer;
    try {
      bytes = read(entry.file);
    } catch (error) {
      checks.push(fail('record.file', (error as Error).message));
      previous = null;
      continue;
    }
    for (const c of verifyRecord(
      { id: entry.id, sequence: entry.sequence, hash: entry.hash, prevHash: entry.prevHash, canonical: bytes },
      previous,
    ))
      checks.push({ ...c, name: `chain.${c.name}` });
    previous = { id: entry.id, sequence: entry.sequence, hash: entry.hash };
    const { checks: recordChecks, doc } = checkRecordBytes(bytes);
    checks.push(...recordChecks);
    const record = { bytes, doc };
    // The log must hold the Records in chain order: leaf i is the (i+1)-th Record.
    if (entry.leafIndex !== null) {
      if (entry.leafIndex !== tree.size)
        checks.push(fail('log.order', `record is leaf ${entry.leafIndex}, but ${tree.size} records precede it`));
      tree.append(leafHash(bytes));
    }
    if (entry.files && doc) checks.push(...exportedFileChecks(dir, doc, entry.files));
    const signal =
      entry.signal === null ? { checks: [], signal: null } : await checkSignal(text(entry.signal).trim(), jwks, record);
    checks.push(...signal.checks);
    if (entry.proof === null) {
      checks.push({
        name: 'proof.inclusion',
        ok: true,
        detail: `not yet in a checkpoint (leaf ${entry.leafIndex ?? 'not appended'})`,
      });
      continue;
    }
    try {
      const proof = parseProof(text(entry.proof));
      checks.push(...checkProof(proof, record, latest?.checkpoint ?? null, signal.signal, latest?.note ?? null));
    } catch (error) {
      checks.push(fail('proof.format', `not an inclusion proof: ${(error as Error).message}`));
    }
  }

  // The whole log: the root of every Record's leaf, up to each checkpoint, is that checkpoint's signed root.
  for (const { treeSize, checkpoint } of opened) {
    if (!checkpoint) continue;
    const name = `log.root ${treeSize}`;
    if (treeSize > tree.size) {
      general.push(
        fail(name, `the checkpoint covers ${treeSize} records, the export holds ${tree.size} logged records`),
      );
      continue;
    }
    const root = tree.root(treeSize);
    general.push(
      root.equals(checkpoint.checkpoint.rootHash)
        ? pass(name, `the ${treeSize} exported records hash to the signed root ${root.toString('hex')}`)
        : fail(
            name,
            `the first ${treeSize} exported records hash to ${root.toString('hex')}, not to the signed root ${checkpoint.checkpoint.rootHash.toString('hex')}`,
          ),
    );
  }
  return { groups };
}

/**
 * The evidence files exported with a Record hash to what the Record says. A file the Record names
 * but the export lacks is noted, not failed: it may never have been uploaded, or have been deleted
 * since, and the seal keeps only its hash (the manifest says which were exported).
 */
function exportedFileChecks(dir: string, doc: RecordDocument, exported: string[]): Check[] {
  return referencedFiles(doc).map(({ sha256, what }) =>
    exported.includes(sha256)
      ? fileHashCheck(path.join(dir, exportPaths.file(sha256)), exportPaths.file(sha256), sha256, what)
      : pass(fileCheckName(sha256), `${what} (sha256 ${sha256}): no file in this export (the server holds none)`),
  );
}

/** The note verifier key of a v1 export's JWK (then the one key signed checkpoints too). */
function v1VerifierKey(origin: string, jwk: { x?: string }): string {
  const raw = Buffer.from(jwk.x ?? '', 'base64url');
  return `${origin}+${noteKeyId(origin, raw).toString('hex')}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`;
}

/**
 * Keys follow each other: once a checkpoint is signed by a key, no larger checkpoint is signed by a
 * key retired before it. (A leaked retired key could otherwise sign a "newer" history.)
 */
function keyOrderChecks(
  opened: Array<{ treeSize: number; checkpoint: OpenedCheckpoint | null }>,
  logKeys: LogKey[],
): Check[] {
  const order = (k: LogKey) => (k.validUntil === null ? Infinity : Date.parse(k.validUntil));
  let last: { treeSize: number; key: LogKey } | null = null;
  const checks: Check[] = [];
  for (const o of opened) {
    if (!o.checkpoint) continue;
    const key = logKeys.find(
      (k) => noteKeyId(o.checkpoint!.keyName, k.publicKey).toString('hex') === o.checkpoint!.keyId,
    );
    if (!key) continue;
    if (last && order(key) < order(last.key))
      checks.push(
        fail(
          `checkpoint ${o.treeSize}: key order`,
          `signed by a key retired ${key.validUntil}, after checkpoint ${last.treeSize} was signed by a later key`,
        ),
      );
    last = { treeSize: o.treeSize, key };
  }
  const used = new Set(opened.flatMap((o) => (o.checkpoint ? [o.checkpoint.keyId] : [])));
  if (checks.length === 0 && opened.length > 0)
    checks.push(
      pass(
        'log.key-order',
        `${used.size} key(s) signed the ${opened.length} checkpoints, each after the one it replaced`,
      ),
    );
  return checks;
}
