/**
 * Prebuilds the workflow bundle that production workers load (dist/workflow-bundle.js beside the
 * compiled code; `--out FILE` writes it elsewhere, e.g. for workers given WORKFLOW_BUNDLE).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowsPath } from '../workers/worker';

export async function bundleWorkflows(outFile: string): Promise<void> {
  // Webpack's module listing is noise; warnings and errors still show.
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const out = path.resolve(values.out ?? path.join(__dirname, '..', 'workflow-bundle.js'));
  bundleWorkflows(out).then(
    () => process.stdout.write(`workflow bundle written to ${out}\n`),
    (error: unknown) => {
      process.stderr.write(`bundling failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
