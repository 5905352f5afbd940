/**
 * qtm-verify: checks Records, ⭐ Signals, inclusion proofs and checkpoints offline, with nothing
 * but the public keys, printing every check. Exit status 0 when all pass, 1 when any fails,
 * 2 on bad usage. Run it as `npx qtm-verify ...` (bin/qtm-verify.js) in this repository.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { failures, verifyBundle, type Check } from '../trust/verify-bundle';
import { verifyExport } from '../trust/verify-export';

const USAGE = `usage:
  qtm-verify --record <record.json> --proof <proof.json> --jwks <jwks.json> [--signal <signal.jws>] [--checkpoint <checkpoint.note>] [--origin <origin>]
  qtm-verify --export <dir> [--quiet]

  --record      the Record's stored canonical bytes, verbatim (GET /v1/records/:id → canonicalBase64, decoded)
  --proof       its inclusion proof (GET /v1/records/:id/proof)
  --signal      its Signal's compact JWS (GET /v1/signals/:id → jws)
  --checkpoint  the signed checkpoint note (default: the one inside the proof)
  --jwks        the public keys (GET /.well-known/jwks.json)
  --origin      the log origin to expect in the checkpoint
  --export      a directory made by \`npm run export -- --out <dir>\`
  --quiet       print only failures and the verdict`;

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
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        record: { type: 'string' },
        proof: { type: 'string' },
        signal: { type: 'string' },
        checkpoint: { type: 'string' },
        jwks: { type: 'string' },
        origin: { type: 'string' },
        export: { type: 'string' },
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
      const report = await verifyExport(values.export);
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
    if (typeof values.record !== 'string' || typeof values.proof !== 'string' || typeof values.jwks !== 'string') {
      err(`--record, --proof and --jwks are required (or --export <dir>)\n${USAGE}`);
      return 2;
    }
    const checks = await verifyBundle({
      record: file('record'),
      proof: utf8('proof'),
      jwks: utf8('jwks'),
      ...(typeof values.signal === 'string' ? { jws: utf8('signal').trim() } : {}),
      ...(typeof values.checkpoint === 'string' ? { checkpoint: utf8('checkpoint') } : {}),
      ...(typeof values.origin === 'string' ? { origin: values.origin } : {}),
    });
    printChecks(checks, out, quiet);
    return verdict(checks, out);
  } catch (error) {
    err(`qtm-verify: ${(error as Error).message}`);
    return 2;
  }
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
