/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core): one whole lifecycle
 * by three people in their own browser contexts, against the real API, worker, Temporal and Postgres,
 * at phone (390×844) and desktop (1280×800) width.
 *
 *   requester  asks for service (the operator picked from the directory, never typed), withdraws a
 *              second request, sees their request as sent, and at the end reads the outcome first
 *              ("Completed by …" with the photo) and verifies the Record and ⭐ Signal in the browser;
 *   admin      finds the request in the inbox by who asked, where and what; the Task page leads with
 *              those facts; only the acts the Task allows are offered (the others say why); the
 *              operator is picked from the directory; an unknown operator is neither offered nor
 *              accepted (422);
 *   operator   sees the Job's facts (details, the admin's note), claims (a colleague who opened the
 *              link before signing in, and claims second, is told in people's words and the page
 *              agrees), starts, moves a stage, uploads a photo, finishes, and finds it under "Done".
 *
 * Then: a document that is not a raster image (an HTML file) is only ever offered as a download.
 *
 * Every page: axe-core finds no violation (of any impact), nothing scrolls sideways, the tab
 * has the page's own title and focus is on its heading. Time to first data on each page is printed
 * (not asserted). Screenshots go to a temporary folder, or to $CONSOLE_SCREENSHOTS (docs/console
 * retakes the committed ones). jest.config.js runs this file only when Chromium is installed.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../stack/console-build';
import { startTestApi, type TestApi } from './support/api';
import { launchChromium } from './support/browser';
import { awaitEnd, driveLifecycle } from '../client/lifecycle';
import { admin, operator, requestBody, requester } from './support/fixtures';
import { knownOperatorId, registerTestOperators } from './support/operators';

/** The page's globals, typed where this (Node) project has no DOM library. */
interface Window {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number }; activeElement: { textContent: string | null } | null };
}

// The committed screenshots are retaken on request (CONSOLE_SCREENSHOTS=docs/console); a plain run
// keeps its own in a temporary folder, so `npm test` never changes the working tree.
const SHOTS = process.env.CONSOLE_SCREENSHOTS
  ? path.resolve(process.env.CONSOLE_SCREENSHOTS)
  : fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-console-shots-'));
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

jest.setTimeout(240_000);

let api: TestApi;
let browser: Browser;
const contexts: BrowserContext[] = [];
const audited: string[] = [];
const timings: string[] = [];

beforeAll(async () => {
  await ensureConsoleBuilt();
  // Development sign-in: the page's POST /v1/dev/tokens exists only with DEV_TOKENS=on.
  [api, browser] = await Promise.all([startTestApi({ NODE_ENV: 'development', DEV_TOKENS: 'on' }), launchChromium()]);
  fs.mkdirSync(SHOTS, { recursive: true });
  // Records before this one, so that its inclusion proof has a path to recompute.
  await Promise.all(
    [1, 2, 3].map(async () => {
      const operatorId = await knownOperatorId(api);
      const cast = { requester: api.as(requester()), governor: api.as(admin()), staff: api.as(operator(operatorId)) };
      const ids = await driveLifecycle(cast, { body: requestBody(), operatorId });
      await awaitEnd(cast.requester, ids.intakeId);
    }),
  );
});

afterAll(async () => {
  // Printed, not asserted: timings on a shared test machine are not the product's.
  if (timings.length) process.stdout.write(`Time to first data (ms), per page:\n${timings.join('\n')}\n`);
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await api?.stop();
});

async function person(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: api.url, deviceScaleFactor: 1 });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** No axe violation of any impact (WCAG 2.1 A and AA rules), and no sideways scrolling. */
async function audit(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect({ page: name, violations: bad }).toEqual({ page: name, violations: [] });
  const { width, scroll } = await page.evaluate(() => {
    const w = globalThis as unknown as Window;
    return { width: w.innerWidth, scroll: w.document.documentElement.scrollWidth };
  });
  expect({ page: name, scroll }).toEqual({ page: name, scroll: width });
  audited.push(name);
}

/** The tab is titled for the page, and focus went to its heading when it opened. */
async function placeKept(page: Page, heading: string): Promise<void> {
  expect(await page.title()).toBe(`${heading} · QTM OS`);
  const focused = await page.evaluate(() => {
    const active = (
      globalThis as unknown as { document: { activeElement: { tagName: string; textContent: string } | null } }
    ).document.activeElement;
    return active ? `${active.tagName} ${active.textContent}` : null;
  });
  expect(focused).toBe(`H1 ${heading}`);
}

/**
 * Time to first data: the page is loaded afresh (as a link opened in a new tab would be) and the
 * milliseconds from its navigation start to its first data being shown are noted, to be printed.
 */
async function firstData(
  name: string,
  page: Page,
  data: { waitFor: (options: { state: 'attached' | 'visible' }) => Promise<void> },
  state: 'attached' | 'visible' = 'visible',
) {
  await page.reload();
  await data.waitFor({ state });
  const ms = await page.evaluate(() => (globalThis as unknown as { performance: { now(): number } }).performance.now());
  timings.push(`  ${name}: ${Math.round(ms)}`);
}

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function signIn(
  page: Page,
  role: 'Requester' | 'Admin (governance)' | 'Operator',
  sub: string,
  operatorId?: string,
  /** A link the person opened before signing in (sign-in returns to it). */
  link = '/console/',
) {
  await page.goto(link);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await audit(page, `sign-in (${role})`);
  await page.getByRole('radio', { name: new RegExp(`^${role.replace(/[()]/g, '\\$&')}`) }).check();
  await page.getByLabel('Identity').fill(sub);
  if (operatorId) await page.getByLabel('Operator id').fill(operatorId);
  // By keyboard: Enter submits the form.
  await page.getByLabel(operatorId ? 'Operator id' : 'Identity').press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A small PNG (an orange square with a blue bar), made here. */
function png(width = 48, height = 32): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows.set(y > height / 2 && y < height / 2 + 5 ? [20, 80, 200] : [240, 140, 30], at);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('one lifecycle through the console by a requester, an admin and an operator, verified in the browser', async () => {
  const run = randomUUID().slice(0, 6);
  const operatorId = `op-north-${run}`;
  const typo = `op-nrothside-${run}`; // never registered
  await registerTestOperators(api, [operatorId]);
  const operatorName = `Test Plumbing ${operatorId}`;
  const summary = `Kitchen sink leaks under the cabinet (${run})`;
  const [requesterPage, adminPage, operatorPage] = await Promise.all([person(PHONE), person(DESKTOP), person(PHONE)]);
  /** Every registered operator now: other tests in the run register theirs while this one runs. */
  const registered = async () => {
    const ids = new Set<string>();
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await api
        .as(admin())
        .GET('/v1/operators', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } });
      for (const o of page.data!.items) ids.add(o.id);
      cursor = page.data!.nextCursor ?? undefined;
    }
    return ids;
  };
  /** The operators a select offers: only registered ones, never the typo. */
  const offered = async (select: ReturnType<Page['getByLabel']>) => {
    const values = (
      await select.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))
    ).filter(Boolean);
    expect(values).not.toContain(typo);
    const known = await registered();
    for (const value of values) expect(known).toContain(value);
    return values;
  };

  // The requester asks for service; the operator is picked from the directory, if at all.
  await signIn(requesterPage, 'Requester', `alice-${run}`);
  await requesterPage.getByRole('heading', { name: 'Ask for service' }).waitFor();
  await firstData(
    'requester: ask for service',
    requesterPage,
    requesterPage.getByLabel('Who should do it').locator('option', { hasText: operatorName }),
    'attached',
  );
  await placeKept(requesterPage, 'Ask for service');
  await audit(requesterPage, 'requester: ask for service');
  expect(await offered(requesterPage.getByLabel('Who should do it'))).toContain(operatorId);
  await requesterPage.getByLabel('Your name').fill('Alice Example');
  await requesterPage.getByLabel('What is needed').fill(summary);
  await requesterPage.getByLabel('Details (optional)').fill('ring first, buzzer broken');
  await requesterPage.getByLabel('Address (optional)').fill('12 Analytical Row');
  await requesterPage.getByLabel('From').fill('2031-05-04T09:00');
  await requesterPage.getByLabel('Until').fill('2031-05-04T12:00');
  await requesterPage.getByRole('button', { name: 'Submit Request' }).click();
  await requesterPage.getByRole('heading', { name: summary, level: 1 }).waitFor();
  await placeKept(requesterPage, summary);
  await requesterPage.getByText('Received: our team is reviewing it').waitFor();
  // Their request as sent.
  const asked = requesterPage.locator('section', {
    has: requesterPage.getByRole('heading', { name: 'What you asked for' }),
  });
  for (const fact of ['Alice Example', '12 Analytical Row', 'ring first, buzzer broken', summary])
    await asked.getByText(fact, { exact: false }).first().waitFor();
  // What the browser keeps beyond the tab holds no personal value (no erasure reaches it).
  const stored = await requesterPage.evaluate(() =>
    JSON.stringify({ ...(globalThis as unknown as { localStorage: Record<string, string> }).localStorage }),
  );
  expect(stored).not.toContain('Kitchen sink');
  await audit(requesterPage, 'requester: request sent');
  const intakeUrl = requesterPage.url();

  // A second Request, withdrawn before anyone is sent (a confirmed act).
  await requesterPage.getByRole('link', { name: 'Requests' }).click();
  await requesterPage.getByRole('list', { name: 'Your requests' }).getByRole('link', { name: summary }).waitFor();
  await requesterPage.getByLabel('What is needed').fill(`Not needed after all (${run})`);
  // This one goes to the operator directly, picked by name.
  await requesterPage.getByLabel('Who should do it').selectOption({ label: operatorName });
  await requesterPage.getByText('Your request goes straight to them').waitFor();
  await requesterPage.getByRole('button', { name: 'Submit Request' }).click();
  await requesterPage.getByText(`Sent to ${operatorName}: they are deciding whether to take it.`).waitFor();
  await requesterPage.getByRole('button', { name: 'Withdraw Request' }).click();
  await requesterPage.getByRole('dialog', { name: 'Withdraw this Request?' }).waitFor();
  await audit(requesterPage, 'requester: confirm withdrawal');
  await requesterPage.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await requesterPage.getByText('Withdrawn: nothing more will happen with it.').waitFor();
  await requesterPage.locator('.status', { hasText: 'withdrawn' }).waitFor();
  expect(await requesterPage.getByRole('button', { name: 'Withdraw Request' }).count()).toBe(0);

  // The admin governs: the inbox's rows say who asked, where and what.
  await signIn(adminPage, 'Admin (governance)', `ops-${run}`);
  await adminPage.getByRole('heading', { name: 'Inbox' }).waitFor();
  await placeKept(adminPage, 'Inbox');
  const row = adminPage.getByRole('list', { name: 'Tasks' }).getByRole('listitem').filter({ hasText: summary });
  await firstData('admin: inbox', adminPage, row.getByText('Alice Example'));
  await row.getByText('12 Analytical Row').waitFor();
  await row.getByText(/asked (just now|\d+ min ago)/).waitFor();
  expect(await adminPage.getByLabel('Status').inputValue()).toBe('open');
  const taskLink = row.getByRole('link', { name: summary });
  await audit(adminPage, 'admin: inbox');
  await shoot(adminPage, 'admin-inbox');
  await adminPage.getByLabel('Escalated only').check();
  await adminPage
    .getByText('No requests match.')
    .or(adminPage.getByRole('list', { name: 'Tasks' }))
    .first()
    .waitFor();
  expect(await taskLink.count()).toBe(0);
  await adminPage.getByLabel('Escalated only').uncheck();
  await taskLink.click();
  await firstData('admin: task', adminPage, adminPage.getByText('ring first, buzzer broken'));
  const taskTitle = `plumbing: ${summary}`;
  await adminPage.getByRole('heading', { name: taskTitle, level: 1 }).waitFor();
  await placeKept(adminPage, taskTitle);
  const facts = adminPage.locator('section', { has: adminPage.getByRole('heading', { name: 'The request' }) });
  for (const fact of ['Alice Example', '12 Analytical Row', 'ring first, buzzer broken'])
    await facts.getByText(fact).waitFor();
  // Only what can succeed: the Job cannot be created while the Task awaits its decision, and says why.
  const createJob = adminPage.getByRole('button', { name: 'Create Job' });
  expect(await createJob.isDisabled()).toBe(true);
  await adminPage.getByText('Approve the Task first; then a Job can be created.').waitFor();
  // The operator is picked from the directory; an unknown one is not offered, and the API refuses it.
  const pick = adminPage.getByLabel('Operator to assign');
  expect(await offered(pick)).toContain(operatorId);
  const taskId = adminPage.url().split('/').pop()!;
  const refused = await api.call('POST', `/v1/tasks/${taskId}/assign`, { as: admin(), body: { operatorId: typo } });
  expect(refused.status).toBe(422);
  expect(refused.body.detail).toContain(`${typo} is not a known operator`);
  await audit(adminPage, 'admin: task');

  await adminPage.getByLabel('Note for the operator (optional)').fill('within our area');
  await adminPage.getByRole('button', { name: 'Approve' }).click();
  await adminPage.locator('.status', { hasText: 'approved' }).first().waitFor();
  // The button went away with the act: focus goes to its section's heading, not to the page's body.
  await adminPage.waitForFunction(
    () => (globalThis as unknown as Window).document.activeElement?.textContent === 'Decide',
  );
  expect(await adminPage.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  await adminPage.getByText('Assign an operator first; then a Job can be created.').waitFor();
  // An approved Task stays in the default ("open") inbox.
  await adminPage.getByRole('link', { name: 'Inbox' }).click();
  await row.locator('.status', { hasText: 'approved' }).waitFor();
  await taskLink.click();
  await pick.selectOption(operatorId);
  await adminPage.getByRole('button', { name: 'Assign' }).click();
  await adminPage.getByText(`Approved and assigned to ${operatorName}: the Job can be created.`).waitFor();
  await createJob.click();
  const confirmJob = adminPage.getByRole('dialog', { name: 'Create the Job?' });
  await confirmJob.getByText(`${operatorName} gets this work in their queue`).waitFor();
  await audit(adminPage, 'admin: confirm Create Job');
  // By keyboard: focus starts on Cancel; Tab to the confirming button, Enter.
  await adminPage.keyboard.press('Tab');
  expect(await adminPage.evaluate(() => (globalThis as unknown as Window).document.activeElement?.textContent)).toBe(
    'Yes, create the Job',
  );
  await adminPage.keyboard.press('Enter');
  await adminPage.getByText('The Job exists:').waitFor();
  // Create Job, which the dialog gives focus back to, went away: focus is on the section's heading.
  await adminPage.waitForFunction(
    () => (globalThis as unknown as Window).document.activeElement?.textContent === 'Decide',
  );
  await adminPage.locator('.status', { hasText: 'job created' }).first().waitFor();
  await shoot(adminPage, 'admin-task');
  // The same page at phone width.
  await adminPage.setViewportSize(PHONE);
  await audit(adminPage, 'admin: task (phone)');
  await shoot(adminPage, 'admin-task-phone');
  await adminPage.setViewportSize(DESKTOP);

  // The operator's staff: the queue's rows and the Job page lead with the facts.
  await signIn(operatorPage, 'Operator', `olga-${run}`, operatorId);
  const jobsTitle = `Jobs for ${operatorName}`;
  await operatorPage.getByRole('heading', { name: jobsTitle }).waitFor();
  const queueRow = operatorPage.getByRole('list', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: summary });
  await firstData('operator: jobs', operatorPage, queueRow.getByText('12 Analytical Row'));
  await placeKept(operatorPage, jobsTitle);
  await queueRow.getByText('Alice Example').waitFor();
  await audit(operatorPage, 'operator: jobs');
  await queueRow.getByRole('link', { name: summary }).click();
  await firstData('operator: job', operatorPage, operatorPage.getByText('ring first, buzzer broken'));
  await placeKept(operatorPage, taskTitle);
  const jobFacts = operatorPage.locator('section', { has: operatorPage.getByRole('heading', { name: 'The job' }) });
  for (const fact of ['Alice Example', '12 Analytical Row', 'within our area'])
    await jobFacts.getByText(fact).waitFor();
  const jobUrl = operatorPage.url();

  // A colleague opened the Job's link before signing in: sign-in returns to it. Their page then
  // stops re-reading (its clock paused), so it still offers Claim when they press it, second.
  const colleague = await person(DESKTOP);
  await colleague.clock.install();
  await signIn(colleague, 'Operator', `oskar-${run}`, operatorId, jobUrl);
  expect(colleague.url()).toBe(jobUrl);
  await colleague.getByRole('heading', { name: taskTitle, level: 1 }).waitFor();
  await placeKept(colleague, taskTitle);
  const colleagueClaim = colleague.getByRole('button', { name: 'Claim Job' });
  await colleagueClaim.waitFor();
  await colleague.clock.pauseAt(Date.now() + 1_000);

  await operatorPage.getByRole('button', { name: 'Claim Job' }).click();
  await operatorPage.getByRole('button', { name: 'Start work' }).waitFor();
  expect(await colleagueClaim.isEnabled()).toBe(true);
  await colleagueClaim.click();
  const refusal = colleague.getByRole('alert').filter({ hasText: /claimed/ });
  await refusal.waitFor();
  expect(await refusal.textContent()).toBe(`Not claimed: olga-${run} claimed this Job first, so it is theirs now.`);
  // The page read the Job again: badge, buttons and message agree.
  await colleague.locator('.status', { hasText: 'claimed' }).waitFor();
  expect(await colleagueClaim.count()).toBe(0);
  await colleague.getByText(`Claimed by olga-${run}: only they can start it.`).waitFor();
  await colleague.clock.resume(); // axe-core schedules its work with timers
  await audit(colleague, 'operator: refused claim');
  await colleague.getByRole('link', { name: 'Jobs', exact: true }).click();
  await colleague.getByRole('list', { name: 'Jobs' }).getByRole('link', { name: summary }).waitFor();
  await placeKept(colleague, jobsTitle);
  await audit(colleague, 'operator: jobs (desktop)');

  await operatorPage.getByRole('button', { name: 'Start work' }).click();
  await operatorPage.getByRole('heading', { name: 'Stage' }).waitFor();
  await operatorPage.locator('.status', { hasText: 'work under way' }).waitFor();
  await operatorPage.getByText('Now: started').waitFor();
  await operatorPage.getByLabel('Next stage').selectOption('on_site');
  await operatorPage.getByRole('button', { name: 'Move to stage' }).click();
  await operatorPage.getByText('Now: on site').waitFor();

  // A photo, as the phone's camera input would give it; Upload says why it waits for one.
  await operatorPage.getByText('Choose a photo or a file first.').waitFor();
  const photo = operatorPage.getByLabel('Photo (opens the camera on a phone)');
  expect(await photo.getAttribute('accept')).toBe('image/*');
  expect(await photo.getAttribute('capture')).toBe('environment');
  await photo.setInputFiles({ name: 'trap.png', mimeType: 'image/png', buffer: png() });
  await operatorPage.getByLabel('What it shows (optional)').fill('the new trap, fitted');
  await operatorPage.getByRole('button', { name: 'Upload evidence' }).click();
  const shown = operatorPage.getByRole('img', { name: 'Photo: the new trap, fitted' });
  await shown.waitFor();
  expect(
    await shown.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth),
  ).toBe(48);
  await jobFacts.getByText('1 photo').waitFor();
  await audit(operatorPage, 'operator: job with a photo');
  await shoot(operatorPage, 'operator-job');

  await operatorPage.getByLabel('Summary of the work').fill('Replaced the trap seal; no more leak.');
  await operatorPage.getByRole('button', { name: 'Finish the job' }).click();
  await operatorPage.getByRole('dialog', { name: 'Finish this job?' }).waitFor();
  await operatorPage.getByRole('button', { name: 'Finish: done' }).click();
  await operatorPage.getByText(/the requester has been told/).waitFor();
  expect(await operatorPage.getByText('Now: on site').count()).toBe(0);
  // The operator's finished work, under "Done".
  await operatorPage.getByRole('link', { name: 'Jobs', exact: true }).click();
  await operatorPage.getByRole('list', { name: 'Finished jobs' }).getByRole('link', { name: summary }).waitFor();
  await audit(operatorPage, 'operator: jobs with one done');

  // The requester reads the outcome first, with the photo; the history is folded away.
  await requesterPage.goto(intakeUrl);
  await requesterPage.getByText(`Completed by ${operatorName}.`).waitFor({ timeout: 30_000 });
  await requesterPage.getByText('“Replaced the trap seal; no more leak.”', { exact: false }).waitFor();
  await requesterPage.getByRole('img', { name: 'Photo: the new trap, fitted' }).waitFor();
  // The outcome is on the phone's first screen (it was 1,269 px down, below the audit log).
  const outcomeAt = (await requesterPage.getByText(`Completed by ${operatorName}.`).boundingBox())!.y;
  expect(outcomeAt).toBeLessThan(PHONE.height / 2);
  expect(await requesterPage.getByRole('list', { name: 'Timeline, oldest first' }).isVisible()).toBe(false);
  // The ⭐ Signal follows the sealed Record. The log's checkpoint (the Schedule signs one every
  // CHECKPOINT_INTERVAL) is signed now, so the inclusion proof exists.
  await requesterPage.locator('#record-heading', { hasText: 'Signal' }).waitFor({ timeout: 30_000 });
  const checkpoint = await api.as(admin()).POST('/v1/log/checkpoint');
  expect([200, 201]).toContain(checkpoint.response.status);
  await audit(requesterPage, 'requester: finished');
  await shoot(requesterPage, 'requester-finished');

  const verify = requesterPage.getByRole('button', { name: 'Verify Record and Signal in this browser' });
  process.stdout.write(
    `Requester's finished request at ${PHONE.width} px: the outcome at ${Math.round(outcomeAt)} px, Verify at ${Math.round((await verify.boundingBox())!.y)} px\n`,
  );
  await verify.click();
  const verdict = requesterPage.getByRole('status').getByText(/Verified:/);
  // A failed verification shows its checks: put them in the failure.
  await verdict.waitFor().catch(async (error: unknown) => {
    const section = requesterPage.locator('section', { has: requesterPage.locator('#record-heading') });
    throw new Error(`${(error as Error).message}\n${await section.innerText()}`);
  });
  expect(await verdict.textContent()).toBe(
    '✓ Verified: this record is exactly as it was sealed and is in the public log, and the Signal is genuine and about this record.',
  );
  // The technical checks, one click away.
  const checkList = requesterPage.locator('ul.checks');
  expect(await checkList.isVisible()).toBe(false);
  await requesterPage.getByText(/^The \d+ checks/).click();
  await checkList.waitFor();
  const checks = await requesterPage.locator('ul.checks li').allTextContents();
  expect(checks.length).toBeGreaterThanOrEqual(9);
  for (const name of [
    'Record hash',
    'Record form',
    'Log leaf',
    'Checkpoint signature',
    'Inclusion',
    'Signal signature',
    'Signal attests this Record',
  ]) {
    expect(checks.find((c) => c.includes(name))).toMatch(/^✓/);
  }
  expect(checks.find((c) => c.includes('Inclusion'))).toMatch(/leaf [1-9]\d* and the [1-9]\d*-hash audit path/);
  await audit(requesterPage, 'requester: verified Record and Signal');
  await requesterPage
    .locator('section', { has: requesterPage.locator('#record-heading') })
    .screenshot({ path: path.join(SHOTS, 'verified-record-signal.png') });

  // The same request on a desktop, opened from its link before signing in.
  const desk = await person(DESKTOP);
  await signIn(desk, 'Requester', `alice-${run}`, undefined, intakeUrl.replace(api.url, ''));
  await desk.getByText(`Completed by ${operatorName}.`).waitFor();
  expect(desk.url()).toBe(intakeUrl);
  await firstData('requester: finished request', desk, desk.getByText(`Completed by ${operatorName}.`));
  await placeKept(desk, summary);
  await audit(desk, 'requester: finished (desktop)');

  expect(audited.length).toBeGreaterThanOrEqual(18);
});

test('a non-image evidence file is offered as a download only: saved as bytes, never opened from a blob: URL of its type', async () => {
  const operatorId = await knownOperatorId(api);
  const [alice, staff] = [requester(), operator(operatorId)];
  const ids = await driveLifecycle(
    { requester: api.as(alice), governor: api.as(admin()), staff: api.as(staff) },
    { body: requestBody(), operatorId, until: 'executing' },
  );
  // An HTML page as a "document": were it opened from a blob: URL of its type, it would run in the console's origin.
  const html = Buffer.from('<html><body><script>document.title = "ran"</script><h1>Invoice</h1></body></html>');
  const uploaded = await fetch(`${api.url}/v1/service-events/${ids.serviceEventId}/evidence/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token(staff)}`, 'content-type': 'text/html' },
    body: html,
  });
  const { sha256 } = (await uploaded.json()) as { sha256: string };
  const added = await api.as(staff).POST('/v1/service-events/{id}/evidence', {
    params: { path: { id: ids.serviceEventId! } },
    body: { kind: 'document', sha256, mediaType: 'text/html', description: 'the invoice' },
  });
  expect(added.response.status).toBe(201);

  const page = await person(DESKTOP);
  // The type of every Blob the console makes an object URL of.
  await page.addInitScript(() => {
    const made: string[] = [];
    const scope = globalThis as unknown as { objectUrlTypes: string[]; URL: typeof URL };
    scope.objectUrlTypes = made;
    const original = scope.URL.createObjectURL.bind(scope.URL);
    scope.URL.createObjectURL = (object: Blob) => {
      made.push(object.type);
      return original(object);
    };
  });
  await signIn(page, 'Requester', alice.sub);
  await page.goto(`/console/intakes/${ids.intakeId}`);
  // Whatever control offers it (the old console had a link to a blob: URL of the server's type).
  const offered = page.getByText(/^Download file \(text\/html/);
  await offered.waitFor();
  await audit(page, 'requester: a document offered as a download');
  expect(await page.locator('a[href^="blob:"], iframe, object, embed').count()).toBe(0);
  expect(await offered.evaluate((control) => control.tagName)).toBe('BUTTON');
  const [saved] = await Promise.all([page.waitForEvent('download'), offered.click()]);
  expect(saved.suggestedFilename()).toBe(`${sha256}.bin`);
  expect(fs.readFileSync((await saved.path())!)).toEqual(html);
  // The only object URL made is of bytes no browser renders; nothing was opened or ran.
  expect(await page.evaluate(() => (globalThis as unknown as { objectUrlTypes: string[] }).objectUrlTypes)).toEqual([
    'application/octet-stream',
  ]);
  expect(page.context().pages()).toHaveLength(1);
  expect(await page.title()).not.toBe('ran');
});
