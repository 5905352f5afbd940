/** Prebuilds the workflow bundle that production workers load (dist/workflow-bundle.js). */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../workers/worker';

export async function bundleWorkflows(outFile: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: undefined });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
}

if (require.main === module) {
  const out = path.resolve(__dirname, '..', 'workflow-bundle.js');
  bundleWorkflows(out).then(
    () => process.stdout.write(`workflow bundle written to ${out}\n`),
    (error: unknown) => {
      process.stderr.write(`bundling failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
