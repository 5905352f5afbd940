/**
 * `npm run ui-check [-- --out docs/ui]`: what ops staff do in the Temporal Web UI, done by
 * headless Chromium (Debian's `chromium`, driven by playwright-core) against a running server:
 * find an intake workflow by search attribute, list escalated intakes with OPERATIONS.md's
 * query, open the workflow and run its `state` query, open the Schedules page and the escalation
 * Schedule. Each step checks what the page shows and saves a screenshot; exit 1 on any failure.
 *
 * Payloads are encrypted (adapters/payload-codec.ts), so the browser reads them the way ops staff do:
 * an admin starts a codec session (POST /codec/session sets its cookie in this browser) and the
 * Web UI's Codec Server settings send that cookie to the API's /codec endpoint ("include
 * cross-origin credentials"). The last two steps show an intake workflow's input decoded for
 * that admin, and the same page in a browser without the session: encrypted.
 *
 * The server is an isolated stack of its own (Temporal dev server with its Web UI, database,
 * worker and API), with intakes in a few phases and one escalated, so that the pages have
 * something to show.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Principal } from '../domain/schemas';
import { sweepNow } from '../orchestration/escalation-schedule';
import { connectTemporal } from '../adapters/temporal-connection';
import { startIsolatedStack, type IsolatedStack } from './isolated-stack';
import { freePort, projectRoot } from '../stack/temporal-cli';
import { qtmClient } from '../client';
import { driveLifecycle } from '../client/lifecycle';
import { registerOperators } from '../client/operators';
import { intakeWorkflowId } from '../workflows/messages';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(projectRoot, 'docs', 'ui') },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
  strict: true,
});
const log = (line: string) => process.stdout.write(`${line}\n`);

// As the machine notes say: without the background-networking flags, Chromium keeps dialling
// hosts this closed network refuses.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** OPERATIONS.md's query for escalated intakes, as ops staff are told to type it. */
function operationsQuery(name: string): string {
  const text = fs.readFileSync(path.join(projectRoot, 'OPERATIONS.md'), 'utf8');
  const match = new RegExp(`<!-- query: ${name} -->\\s*\`\`\`text\\n([^\\n]+)\\n`).exec(text);
  if (!match) throw new Error(`OPERATIONS.md has no query marked ${name}`);
  return match[1]!;
}

/** A few intakes in different phases, driven by the typed client; returns the one that gets escalated. */
async function populate(stack: IsolatedStack): Promise<{ intakeId: string; workflowId: string }> {
  const as = (p: Principal) => qtmClient({ baseUrl: stack.baseUrl, token: () => stack.token(p) });
  const requester = as({ sub: 'ada', role: 'requester' });
  const admin = as({ sub: 'grace', role: 'admin' });
  const staff = as({ sub: 'op-7-linus', role: 'operator', operatorId: 'op-7' });
  const cast = { requester, governor: admin, staff };
  await registerOperators(admin, [
    { id: 'op-7', displayName: 'Northside Plumbing', categories: ['plumbing', 'heating'] },
  ]);
  const body = (summary: string, operatorId?: string) => ({
    channel: 'web' as const,
    actor: { kind: 'person' as const, name: 'Ada Lovelace' },
    request: { category: 'plumbing' as const, summary },
    ...(operatorId ? { operatorId } : {}),
  });

  const stale = await driveLifecycle(cast, {
    body: body('Kitchen sink leaks under the cabinet', 'op-7'),
    operatorId: 'op-7',
    until: 'pending',
  });
  await driveLifecycle(cast, {
    body: body('Boiler makes a knocking noise'),
    operatorId: 'op-7',
    stages: ['on_site'],
    evidence: [{ kind: 'note', description: 'Air in the pipes; bled the radiators' }],
    summary: 'Bled the system; no more knocking',
  });
  await driveLifecycle(cast, { body: body('Paint the garden shed'), operatorId: 'op-7', ending: 'rejected' });
  await driveLifecycle(cast, { body: body('Replace a broken window pane'), operatorId: 'op-7', until: 'pending' });

  // Let the first one go stale (the stack's operator threshold is 1 s), then sweep.
  await new Promise((r) => setTimeout(r, 1_500));
  const { client, connection } = await connectTemporal(stack.config);
  try {
    const summary = await sweepNow(client, stack.config);
    log(`sweep: ${summary.nudged} stale tasks nudged`);
    for (
      let i = 0;
      (await client.workflow.count(`QtmIntakeId = '${stale.intakeId}' AND QtmEscalationLevel > 0`)).count === 0;
      i += 1
    ) {
      if (i > 100) throw new Error('the escalation never reached the visibility store');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await connection.close();
  }
  return { intakeId: stale.intakeId, workflowId: intakeWorkflowId(stale.intakeId) };
}

/**
 * A browser as ops staff set it up: the Web UI's Codec Server settings (this browser's, over the
 * dev server's, which cannot ask for credentials) point at the API's /codec with cross-origin
 * credentials, as OPERATIONS.md says; with `session`, an admin has also started a codec session.
 */
async function opsBrowser(
  browser: Browser,
  stack: IsolatedStack,
  uiBase: string,
  session: boolean,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (session) {
    // As the console does for an admin: the API sets the HttpOnly cookie in this browser.
    const started = await context.request.post(`${stack.baseUrl}/codec/session`, {
      headers: { authorization: `Bearer ${await stack.token({ sub: 'grace', role: 'admin' })}` },
    });
    if (started.status() !== 200) throw new Error(`POST /codec/session answered ${started.status()}`);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${uiBase}/workflows`);
  // The Codec Server button of the top bar opens the settings.
  await page
    .getByRole('button', { name: /codec server/i })
    .first()
    .click();
  await page.getByRole('button', { name: /^Use Cluster-level setting/ }).click();
  await page.getByText(/^Use my browser setting and ignore Cluster-level setting/).click();
  await page.getByPlaceholder('Paste your endpoint here').fill(`${stack.baseUrl}/codec`);
  // By keyboard: the sticky top bar lies over the switch once the panel has grown.
  await page.getByLabel('Include cross-origin credentials').focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Apply' }).click();
  return { context, page };
}

async function step(page: Page, name: string, out: string, check: () => Promise<unknown>): Promise<void> {
  await check();
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file });
  log(`ok  ${name}: ${path.relative(projectRoot, file)}`);
}

async function main(): Promise<void> {
  fs.mkdirSync(values.out!, { recursive: true });
  const uiPort = await freePort();
  // Seconds-scale thresholds, so one intake can be escalated while the check runs.
  const stack = await startIsolatedStack({
    name: 'uicheck',
    log,
    uiPort,
    // A retention policy, so the Schedules page shows its Schedule too.
    env: { ESCALATION_OPERATOR_THRESHOLD: '1s', PERSONAL_DATA_RETENTION: 'P90D' },
  });
  const browser = await chromium.launch({ executablePath: values.chromium, args: CHROMIUM_ARGS });
  try {
    const { intakeId, workflowId } = await populate(stack);
    const ui = `http://127.0.0.1:${uiPort}/namespaces/${stack.config.TEMPORAL_NAMESPACE}`;
    const { page } = await opsBrowser(browser, stack, ui, true);
    const workflowLink = page.getByRole('link', { name: workflowId, exact: true });

    await step(page, '01-find-by-search-attribute', values.out!, async () => {
      await page.goto(`${ui}/workflows?query=${encodeURIComponent(`QtmIntakeId = '${intakeId}'`)}`);
      await workflowLink.waitFor();
    });
    await step(page, '02-escalated-intakes', values.out!, async () => {
      await page.goto(`${ui}/workflows?query=${encodeURIComponent(operationsQuery('escalated'))}`);
      await workflowLink.waitFor();
    });
    await step(page, '03-intake-workflow', values.out!, async () => {
      await workflowLink.click();
      await page.waitForURL(/\/history/);
      await page.getByText('persistIntake', { exact: false }).first().waitFor();
    });
    await step(page, '04-state-query', values.out!, async () => {
      await page.getByRole('tab', { name: 'Queries' }).click();
      await page.waitForURL(/\/query/);
      await page.getByRole('button', { name: 'Run Query' }).click();
      // The answer is the whole state: the escalated Task, now the admin team's.
      await page.getByText(`"escalationLevel": 1`).first().waitFor();
      await page.getByText(`"intakeId": "${intakeId}"`).first().waitFor();
    });
    await step(page, '05-schedules', values.out!, async () => {
      await page.goto(`${ui}/schedules`);
      await page.getByRole('link', { name: 'qtm-escalation-sweep' }).waitFor();
      await page.getByRole('link', { name: 'qtm-log-checkpoint' }).waitFor();
      await page.getByRole('link', { name: 'qtm-personal-data-retention' }).waitFor();
    });
    await step(page, '06-escalation-schedule', values.out!, async () => {
      await page.getByRole('link', { name: 'qtm-escalation-sweep' }).click();
      await page.getByText('escalationSweepWorkflow').first().waitFor();
    });
    // A line of the input as JSON: only a decoded input shows it (the workflow id alone is in the page title).
    const decodedInput = `"intakeId": "${intakeId}"`;
    await step(page, '07-codec-authorized', values.out!, async () => {
      await page.goto(`${ui}/workflows/${workflowId}`);
      // The input, decrypted by the API's codec server for the admin's session: personal values
      // (the actor's name, the summary) are references to the vault even there.
      await page.getByText(decodedInput).first().waitFor();
      await page
        .getByText(/"name": "sd:/)
        .first()
        .waitFor();
    });
    const { page: outsider } = await opsBrowser(browser, stack, ui, false);
    await step(outsider, '08-codec-unauthorized', values.out!, async () => {
      await outsider.goto(`${ui}/workflows/${workflowId}`);
      await outsider
        .getByText(/binary\/encrypted|YmluYXJ5L2VuY3J5cHRlZA/)
        .first()
        .waitFor();
      if ((await outsider.getByText(decodedInput).count()) > 0)
        throw new Error('the input is readable without a codec session');
    });
    log(`ui-check: 8 of 8 steps passed; screenshots in ${path.relative(projectRoot, values.out!) || values.out}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ui-check failed: ${(error as Error).message}\n`);
  process.exit(1);
});
