/**
 * Exports everything a third party needs to check the Records without trusting this system's
 * database: the Records' bytes, their Signals, inclusion proofs against the latest checkpoint,
 * every checkpoint with consistency proofs between them, the public keys, and the evidence files
 * the Records reference (those the server holds: a file may never have been uploaded, or have been
 * deleted since, and the seal keeps only its hash).
 *
 *   npm run export -- --out <dir>
 *   npx qtm-verify --export <dir>
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfigOrExit, type WitnessEndpoint } from '../config';
import { createDb } from '../db';
import { fileContent } from '../db/evidence-files';
import { allCheckpoints, cosignedNote, nodesOfLevel } from '../db/log-store';
import { recordsForExport } from '../db/records';
import { noteKeyId, verifierKey } from '../trust/log-checkpoint';
import { EXPORT_FORMAT, exportPaths, type ExportManifest } from '../trust/export-format';
import { loadTrustKeys, type TrustKeys } from '../trust/keys';
import { consistencySpans, hashSpan, inclusionSpans, nodeId, type NodeKey } from '../trust/log-merkle';
import type { RecordDocument } from '../trust/record';
import { referencedFiles } from '../trust/verify-files';

const BATCH = 1000;

/** All stored nodes of the tree up to `size`, in memory: proofs for every Record without a query each. */
async function loadTree(db: Knex, size: number): Promise<(key: NodeKey) => Buffer> {
  const nodes = new Map<string, Buffer>();
  let level = 0;
  for (let width = 1; width <= size; width *= 2, level += 1) {
    for (const node of await nodesOfLevel(db, level, Math.floor(size / width)))
      nodes.set(nodeId({ level, index: node.index }), node.hash);
  }
  return (key) => {
    const hash = nodes.get(nodeId(key));
    if (!hash) throw new Error(`log node ${nodeId(key)} is missing`);
    return hash;
  };
}

export async function writeExport(
  db: Knex,
  options: { out: string; origin: string; keys: TrustKeys; witnesses?: WitnessEndpoint[]; now?: Date },
): Promise<ExportManifest> {
  const { out } = options;
  for (const dir of ['checkpoints', 'consistency', 'records', 'proofs', 'signals', 'files'])
    fs.mkdirSync(path.join(out, dir), { recursive: true });
  const write = (file: string, content: string | Buffer) => fs.writeFileSync(path.join(out, file), content);

  const checkpoints = await allCheckpoints(db);
  const latest = checkpoints.at(-1) ?? null;
  const get = await loadTree(db, latest?.treeSize ?? 0);

  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    origin: options.origin,
    exportedAt: (options.now ?? new Date()).toISOString(),
    checkpoints: [],
    consistency: [],
    records: [],
  };
  write(
    exportPaths.jwks,
    `${JSON.stringify({ keys: options.keys.signal.published.map((k) => k.publicJwk) }, null, 2)}\n`,
  );
  // The same document as GET /v1/log/keys.
  const logKeys = {
    origin: options.origin,
    keys: options.keys.log.published.map((k) => ({
      verifierKey: verifierKey(options.origin, k.publicKey),
      keyId: noteKeyId(options.origin, k.publicKey).toString('hex'),
      validFrom: k.validFrom,
      validUntil: k.validUntil,
      current: k.kid === options.keys.log.current.kid,
    })),
    witnesses: (options.witnesses ?? []).map((w) => ({ name: w.key.name, verifierKey: w.key.vkey })),
  };
  write(exportPaths.logKeys, `${JSON.stringify(logKeys, null, 2)}\n`);
  checkpoints.forEach((c, i) => {
    write(exportPaths.checkpoint(c.treeSize), cosignedNote(c));
    manifest.checkpoints.push({ treeSize: c.treeSize, file: exportPaths.checkpoint(c.treeSize) });
    const previous = checkpoints[i - 1];
    if (previous) {
      const proof = consistencySpans(previous.treeSize, c.treeSize).map((span) => hashSpan(span, get).toString('hex'));
      write(
        exportPaths.consistency(previous.treeSize, c.treeSize),
        `${JSON.stringify({ from: previous.treeSize, to: c.treeSize, proof }, null, 2)}\n`,
      );
      manifest.consistency.push({
        from: previous.treeSize,
        to: c.treeSize,
        file: exportPaths.consistency(previous.treeSize, c.treeSize),
      });
    }
  });

  const filesWritten = new Set<string>();
  /** Writes the files the Record references that the server holds; the hashes of those in the export. */
  const exportFiles = async (canonical: Buffer): Promise<string[]> => {
    const exported: string[] = [];
    for (const { sha256 } of referencedFiles(JSON.parse(canonical.toString('utf8')) as RecordDocument)) {
      if (!filesWritten.has(sha256)) {
        const content = await fileContent(db, sha256);
        if (!content) continue;
        write(exportPaths.file(sha256), content);
        filesWritten.add(sha256);
      }
      exported.push(sha256);
    }
    return exported;
  };

  for (let after = 0; ;) {
    const rows = await recordsForExport(db, after, BATCH);
    if (rows.length === 0) break;
    for (const r of rows) {
      const leafIndex = r.leaf_index === null ? null : Number(r.leaf_index);
      write(exportPaths.record(r.id), r.canonical);
      let proof: string | null = null;
      if (latest && leafIndex !== null && leafIndex < latest.treeSize) {
        const auditPath = inclusionSpans(leafIndex, latest.treeSize).map((span) => hashSpan(span, get).toString('hex'));
        const leafHash = get({ level: 0, index: leafIndex }).toString('hex');
        const body = {
          recordId: r.id,
          leafIndex,
          treeSize: latest.treeSize,
          leafHash,
          rootHash: latest.rootHash.toString('hex'),
          auditPath,
          checkpoint: cosignedNote(latest),
        };
        write(exportPaths.proof(r.id), `${JSON.stringify(body, null, 2)}\n`);
        proof = exportPaths.proof(r.id);
      }
      if (r.jws) write(exportPaths.signal(r.id), r.jws);
      manifest.records.push({
        id: r.id,
        sequence: Number(r.sequence),
        hash: r.hash,
        prevHash: r.prev_hash,
        leafIndex,
        file: exportPaths.record(r.id),
        proof,
        signal: r.jws ? exportPaths.signal(r.id) : null,
        files: await exportFiles(r.canonical),
      });
    }
    after = Number(rows[rows.length - 1]!.sequence);
  }
  write(exportPaths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  if (!values.out) {
    process.stderr.write('usage: npm run export -- --out <dir>\n');
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const db = createDb(config);
  try {
    const manifest = await writeExport(db, {
      out: path.resolve(values.out),
      origin: config.LOG_ORIGIN,
      keys: await loadTrustKeys(config),
      witnesses: config.LOG_WITNESSES,
    });
    const proved = manifest.records.filter((r) => r.proof !== null).length;
    process.stdout.write(
      `exported ${manifest.records.length} records (${proved} with inclusion proofs), ${manifest.checkpoints.length} checkpoints, ` +
        `${new Set(manifest.records.flatMap((r) => r.files ?? [])).size} evidence files to ${values.out}\n` +
        `verify offline with: npx qtm-verify --export ${values.out}\n`,
    );
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`export: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
