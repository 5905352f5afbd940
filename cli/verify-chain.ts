/**
 * `npm run verify-chain`: re-verifies every sealed Record and every link of the chain, and
 * names the exact record and link that broke. Exit code 1 when anything is broken.
 */
import { loadConfigOrExit } from '../config';
import { createDb } from '../db';
import { verifyChain } from '../db/verify-chain';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const db = createDb(config, { poolMax: 2 });
  try {
    const report = await verifyChain(db);
    for (const b of report.breaks)
      process.stdout.write(`BROKEN record ${b.recordId} (sequence ${b.sequence}) ${b.check}: ${b.detail}\n`);
    process.stdout.write(
      report.valid
        ? `chain valid: ${report.records} records, head sequence ${report.head?.sequence ?? 0} hash ${report.head?.hash ?? '-'}\n`
        : `chain BROKEN: ${report.breaks.length} failed checks in ${new Set(report.breaks.map((b) => b.recordId)).size} of ${report.records} records\n`,
    );
    process.exitCode = report.valid ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`verify-chain: ${(error as Error).message}\n`);
  process.exit(2);
});
