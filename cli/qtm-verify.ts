/**
 * qtm-verify: checks Records, ⭐ Signals, inclusion proofs and checkpoints offline, with nothing
 * but the public keys, printing every check. Exit status 0 when all pass, 1 when any fails,
 * 2 on bad usage. Run it as `npx qtm-verify ...` (bin/qtm-verify.js) in this repository.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseWitnessKey } from '../trust/log-cosignature';
import { checkDisclosures } from '../trust/disclosure';
import type { RecordDocument } from '../trust/record';
import { checkRecordBytes, failures, verifyBundle, type Check, type WitnessPolicy } from '../trust/verify-bundle';
import { verifyExport } from '../trust/verify-export';
import { LISTING, verifyFiles } from '../trust/verify-files';

const USAGE = `usage:
  qtm-verify --record <record.json> --proof <proof.json> --jwks <jwks.json> (--log-keys <keys.json> | --log-key <vkey>...)
             [--signal <signal.jws>] [--checkpoint <checkpoint.note>] [--origin <origin>] [witness policy]
  qtm-verify --export <dir> [witness policy] [--quiet]
  qtm-verify --record <record.json> --files <dir> [--proof … --jwks … --log-keys …]
  qtm-verify --record <record.json> --disclosure <disclosure>… [--proof … --jwks … --log-keys …]

  --record      the Record's stored canonical bytes, verbatim (GET /v1/records/:id → canonicalBase64, decoded)
  --proof       its inclusion proof (GET /v1/records/:id/proof)
  --signal      its Signal's compact JWS (GET /v1/signals/:id → jws)
  --checkpoint  the signed checkpoint note (default: the one inside the proof)
  --jwks        the Signal keys (GET /.well-known/jwks.json)
  --log-keys    the checkpoint keys (GET /v1/log/keys); or --log-key <note verifier key>, repeatable
  --origin      the log origin to expect in the checkpoint
  --export      a directory made by \`npm run export -- --out <dir>\`
  --files       a directory of the evidence files the record references, each named <sha256>[.ext]
                (as GET /v1/evidence-files/:sha256 names it) or listed in ${LISTING} (sha256sum's format);
                checks each is there and hashes to the record's sha256 (with --proof, --jwks and the
                log keys, the record itself is verified too)
  --disclosure  an SD-JWT disclosure (base64url JSON [salt, name, value], as GET /v1/records/:id/disclosures
                gives them), repeatable: checks the record commits to it and prints what it discloses
  --disclosures a file of them: that endpoint's JSON answer, or one disclosure a line
  --quiet       print only failures and the verdict

witness policy (checked on the proof's checkpoint, or an export's latest one):
  --witness <vkey>          a witness's cosignature verifier key (name+id+base64(0x04 ‖ key)), repeatable
  --witness-threshold <k>   how many of them must have cosigned (default: all)`;

type Out = (line: string) => void;

function printChecks(checks: Check[], out: Out, quiet: boolean, indent = ''): void {
  for (const c of checks) {
    if (quiet && (c.ok || c.skipped)) continue;
    const mark = c.ok ? '✓' : c.skipped ? '-' : '✗';
    out(`${indent}${mark} ${c.name}: ${c.skipped ? `skipped (${c.detail})` : c.detail}`);
  }
}

function verdict(checks: Check[], out: Out): number {
  const failed = failures(checks);
  if (failed.length === 0) {
    out(`OK: all ${checks.length} checks passed`);
    return 0;
  }
  out(
    `FAILED: ${failed.length} of ${checks.length} checks failed: ${[...new Set(failed.map((c) => c.name))].join(', ')}`,
  );
  return 1;
}

export async function main(
  argv: string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        record: { type: 'string' },
        proof: { type: 'string' },
        signal: { type: 'string' },
        checkpoint: { type: 'string' },
        jwks: { type: 'string' },
        'log-keys': { type: 'string' },
        'log-key': { type: 'string', multiple: true },
        witness: { type: 'string', multiple: true },
        'witness-threshold': { type: 'string' },
        origin: { type: 'string' },
        export: { type: 'string' },
        files: { type: 'string' },
        disclosure: { type: 'string', multiple: true },
        disclosures: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const quiet = values.quiet === true;
  let witnessPolicy: WitnessPolicy | undefined;
  try {
    witnessPolicy = policyOf(values.witness as string[] | undefined, values['witness-threshold'] as string | undefined);
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const file = (name: string) => {
    try {
      return fs.readFileSync(values[name] as string);
    } catch (error) {
      throw new Error(
        `cannot read --${name} ${String(values[name])}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  // Files are read as UTF-8 text only where a format says text; invalid UTF-8 must stay visible.
  const utf8 = (name: string) => new TextDecoder('utf-8', { fatal: false }).decode(file(name));

  try {
    if (typeof values.export === 'string') {
      const report = await verifyExport(values.export, { witnessPolicy });
      const all: Check[] = [];
      for (const group of report.groups) {
        const shown = quiet ? group.checks.filter((c) => !c.ok && !c.skipped) : group.checks;
        if (shown.length > 0) out(group.title);
        printChecks(group.checks, out, quiet, '  ');
        // Name each failure by its Record, so the verdict says where it broke.
        all.push(
          ...group.checks.map((c) => (group === report.groups[0] ? c : { ...c, name: `${group.title}: ${c.name}` })),
        );
      }
      return verdict(all, out);
    }
    const logKeys = values['log-key'] as string[] | undefined;
    const given = [
      ...((values.disclosure as string[] | undefined) ?? []),
      ...(typeof values.disclosures === 'string' ? parseDisclosures(utf8('disclosures')) : []),
    ];
    // What the record's own bytes say about the evidence files and disclosures given.
    const extras = () => {
      const { doc } = checkRecordBytes(file('record'));
      return [
        ...(typeof values.files === 'string' ? verifyFiles(doc, values.files) : []),
        ...(given.length > 0 ? disclosureChecks(doc, given) : []),
      ];
    };
    if (
      (typeof values.files === 'string' || given.length > 0) &&
      typeof values.record === 'string' &&
      !values.proof &&
      !values.jwks
    ) {
      // Files and disclosures alone: against the record's bytes as given (which this does not verify further).
      const checks = [...checkRecordBytes(file('record')).checks, ...extras()];
      printChecks(checks, out, quiet);
      return verdict(checks, out);
    }
    if (
      typeof values.record !== 'string' ||
      typeof values.proof !== 'string' ||
      typeof values.jwks !== 'string' ||
      (typeof values['log-keys'] !== 'string' && !logKeys)
    ) {
      err(`--record, --proof, --jwks and --log-keys (or --log-key) are required (or --export <dir>)\n${USAGE}`);
      return 2;
    }
    const bundle = await verifyBundle({
      record: file('record'),
      proof: utf8('proof'),
      jwks: utf8('jwks'),
      ...(typeof values['log-keys'] === 'string' ? { logKeys: utf8('log-keys') } : {}),
      ...(logKeys ? { logVerifierKeys: logKeys } : {}),
      ...(witnessPolicy ? { witnessPolicy } : {}),
      ...(typeof values.signal === 'string' ? { jws: utf8('signal').trim() } : {}),
      ...(typeof values.checkpoint === 'string' ? { checkpoint: utf8('checkpoint') } : {}),
      ...(typeof values.origin === 'string' ? { origin: values.origin } : {}),
    });
    const checks = [...bundle, ...extras()];
    printChecks(checks, out, quiet);
    return verdict(checks, out);
  } catch (error) {
    err(`qtm-verify: ${(error as Error).message}`);
    return 2;
  }
}

/** A --disclosures file: the JSON of GET /v1/records/:id/disclosures, or one disclosure a line. */
function parseDisclosures(text: string): string[] {
  try {
    const json = JSON.parse(text) as { disclosures?: Array<{ disclosure?: unknown }> };
    return (json.disclosures ?? []).map((d) => String(d.disclosure));
  } catch {
    return text.split(/\s+/).filter(Boolean);
  }
}

/** One check per disclosure: the record commits to it, and what it discloses where. */
function disclosureChecks(doc: RecordDocument | null, encoded: string[]): Check[] {
  if (!doc)
    return encoded.map((_, i) => ({
      name: `disclosure[${i}]`,
      ok: false,
      detail: 'no record document to check against',
    }));
  return checkDisclosures(doc as unknown as Record<string, unknown>, encoded).map((d, i) =>
    d.ok
      ? { name: `disclosure[${i}]`, ok: true, detail: `${d.claim.path} = ${JSON.stringify(d.claim.value)}` }
      : { name: `disclosure[${i}]`, ok: false, detail: d.reason },
  );
}

/** --witness keys and --witness-threshold k (default: every witness given). */
function policyOf(vkeys: string[] | undefined, thresholdText: string | undefined): WitnessPolicy | undefined {
  if (!vkeys || vkeys.length === 0) {
    if (thresholdText !== undefined) throw new Error('--witness-threshold needs --witness keys');
    return undefined;
  }
  const witnesses = vkeys.map((v) => parseWitnessKey(v));
  if (new Set(witnesses.map((w) => w.vkey)).size !== witnesses.length)
    throw new Error('a --witness key is given twice');
  const threshold = thresholdText === undefined ? witnesses.length : Number(thresholdText);
  if (
    !/^[0-9]+$/.test(thresholdText ?? '0') ||
    !Number.isSafeInteger(threshold) ||
    threshold < 1 ||
    threshold > witnesses.length
  )
    throw new Error(`--witness-threshold must be a whole number from 1 to ${witnesses.length}`);
  return { witnesses, threshold };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`qtm-verify: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
