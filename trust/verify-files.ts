/**
 * Exported evidence files checked against a Record (`qtm-verify --files DIR`): the Record carries
 * the SHA-256 of every file its evidence references, so each must be in DIR and hash to it.
 *
 * A file is found in DIR by its name, `<sha256>` or `<sha256>.<extension>` (as
 * GET /v1/evidence-files/:sha256 names it), or through a `SHA256SUMS` listing in DIR (the format
 * `sha256sum` writes: `<hex>  <file name>` per line), whatever the file is called.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordDocument } from './record';
import type { Check } from './verify-bundle';

export const LISTING = 'SHA256SUMS';
const HEX64 = /^[0-9a-f]{64}$/;

interface Reference {
  sha256: string;
  what: string;
}

/** Every distinct file hash the Record's evidence names, with the evidence that names it. */
export function referencedFiles(doc: RecordDocument): Reference[] {
  const found = new Map<string, string>();
  for (const [i, e] of (doc.execution?.evidence ?? []).entries()) {
    const sha256 = e.sha256;
    if (typeof sha256 !== 'string' || found.has(sha256)) continue;
    found.set(sha256, `${String(e.kind ?? 'evidence')} evidence #${Number(e.seq ?? i + 1)}`);
  }
  return [...found].map(([sha256, what]) => ({ sha256, what }));
}

/** Names in DIR for each hash: by file name first, then by the listing. */
function candidates(dir: string): { byHash: Map<string, string[]>; problems: Check[] } {
  const byHash = new Map<string, string[]>();
  const add = (hash: string, name: string) => byHash.set(hash, [...(byHash.get(hash) ?? []), name]);
  const problems: Check[] = [];
  for (const name of fs.readdirSync(dir)) {
    const stem = name.split('.')[0]!.toLowerCase();
    if (HEX64.test(stem)) add(stem, name);
  }
  const listing = path.join(dir, LISTING);
  if (fs.existsSync(listing)) {
    for (const [n, line] of fs.readFileSync(listing, 'utf8').split('\n').entries()) {
      if (line.trim() === '') continue;
      const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
      if (!match) {
        problems.push({
          name: 'files.listing',
          ok: false,
          detail: `${LISTING} line ${n + 1} is not "<sha256>  <name>"`,
        });
        continue;
      }
      add(match[1]!.toLowerCase(), match[2]!);
    }
  }
  return { byHash, problems };
}

const sha256File = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The check's name for the file of one hash. */
export const fileCheckName = (sha256: string) => `files.${sha256.slice(0, 12)}`;

/** Whether the file at `file` (shown as `shown`) hashes to what the Record's `what` says. */
export function fileHashCheck(file: string, shown: string, sha256: string, what: string): Check {
  const name = fileCheckName(sha256);
  let actual: string;
  try {
    actual = sha256File(file);
  } catch (error) {
    return { name, ok: false, detail: `${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  return actual === sha256
    ? { name, ok: true, detail: `${shown} hashes to ${sha256}, as ${what} in the record says` }
    : { name, ok: false, detail: `${shown} hashes to ${actual}, but ${what} in the record says ${sha256}` };
}

export function verifyFiles(doc: RecordDocument | null, dir: string): Check[] {
  if (!doc) return [{ name: 'files', ok: false, skipped: true, detail: 'the record is not a readable document' }];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    return [{ name: 'files', ok: false, detail: `${dir} is not a directory` }];
  const references = referencedFiles(doc);
  if (references.length === 0) return [{ name: 'files', ok: true, detail: 'the record references no files' }];
  const { byHash, problems } = candidates(dir);
  const checks: Check[] = [...problems];
  for (const { sha256, what } of references) {
    const names = byHash.get(sha256) ?? [];
    if (names.length === 0) {
      checks.push({
        name: fileCheckName(sha256),
        ok: false,
        detail: `${what} (sha256 ${sha256}) has no file in ${dir}`,
      });
      continue;
    }
    // Every file that claims the hash must have it: a wrong copy beside a right one is still wrong.
    for (const file of names) checks.push(fileHashCheck(path.join(dir, file), file, sha256, what));
  }
  return checks;
}
