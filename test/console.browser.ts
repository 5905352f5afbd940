/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core): one whole lifecycle
 * by three people in three browser contexts, against the real API, worker, Temporal and Postgres.
 *
 *   requester  signs in, submits a Request, withdraws a second one, follows the first along the
 *              chain, and at the end verifies its Record and ⭐ Signal in the browser;
 *   admin      finds the Task in the inbox, approves, assigns, and creates the Job (confirmed);
 *   operator   claims (a colleague's late claim is refused as the API words it), starts, moves a
 *              stage, uploads a photo (a PNG made here), completes.
 *
 * Then: a document that is not a raster image (an HTML file) is only ever offered as a download.
 *
 * axe-core finds no serious or critical violation on each page; the phone-width pages (360 px) never
 * scroll sideways. Screenshots go to a temporary folder, or to $CONSOLE_SCREENSHOTS (docs/console
 * retakes the committed ones). jest.config.js runs this file only when Chromium is installed (and
 * says so when it is not).
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
const PHONE = { width: 360, height: 780 };

jest.setTimeout(150_000);

let api: TestApi;
let browser: Browser;
const contexts: BrowserContext[] = [];
const audited: string[] = [];

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

/** No serious or critical axe violation (WCAG 2.1 A and AA rules), and no sideways scrolling at phone width. */
async function audit(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect({ page: name, violations: bad }).toEqual({ page: name, violations: [] });
  const { width, scroll } = await page.evaluate(() => {
    const w = globalThis as unknown as Window;
    return { width: w.innerWidth, scroll: w.document.documentElement.scrollWidth };
  });
  expect({ page: name, scroll }).toEqual({ page: name, scroll: width });
  audited.push(name);
}

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function signIn(
  page: Page,
  role: 'Requester' | 'Admin (governance)' | 'Operator',
  sub: string,
  operatorId?: string,
) {
  await page.goto('/console/');
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
  await registerTestOperators(api, [operatorId]);
  const summary = `Kitchen sink leaks under the cabinet (${run})`;
  const [requesterPage, adminPage, operatorPage] = await Promise.all([
    person(PHONE),
    person({ width: 1024, height: 768 }),
    person(PHONE),
  ]);

  // The requester asks for service.
  await signIn(requesterPage, 'Requester', `alice-${run}`);
  await requesterPage.getByRole('heading', { name: 'Ask for service' }).waitFor();
  await audit(requesterPage, 'requester: ask for service');
  await requesterPage.getByLabel('Your name').fill('Alice Example');
  await requesterPage.getByLabel('What is needed').fill(summary);
  await requesterPage.getByLabel('Address (optional)').fill('12 Analytical Row');
  await requesterPage.getByRole('button', { name: 'Submit Request' }).click();
  await requesterPage.getByRole('heading', { name: summary }).waitFor();
  // What the browser keeps beyond the tab holds no personal value (no erasure reaches it).
  const stored = await requesterPage.evaluate(() =>
    JSON.stringify({ ...(globalThis as unknown as { localStorage: Record<string, string> }).localStorage }),
  );
  expect(stored).not.toContain('Kitchen sink');
  await requesterPage.getByText('Task created for review').waitFor();
  const intakeUrl = requesterPage.url();

  // A second Request, withdrawn before any Job exists (a confirmed act).
  await requesterPage.getByRole('link', { name: 'Requests' }).click();
  await requesterPage.getByLabel('What is needed').fill(`Not needed after all (${run})`);
  await requesterPage.getByRole('button', { name: 'Submit Request' }).click();
  await requesterPage.getByRole('button', { name: 'Withdraw Request' }).click();
  await requesterPage.getByRole('dialog', { name: 'Withdraw this Request?' }).waitFor();
  await audit(requesterPage, 'requester: confirm withdrawal');
  await requesterPage.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await requesterPage.getByText('Withdrawn by the requester').waitFor();
  await requesterPage.locator('.phase', { hasText: 'withdrawn' }).waitFor();
  await requesterPage.goto(intakeUrl);
  await requesterPage.getByText('Task created for review').waitFor();
  await audit(requesterPage, 'requester: intake timeline');

  // The admin governs: the inbox, the Task, approve, assign, and the explicit Create Job.
  await signIn(adminPage, 'Admin (governance)', `ops-${run}`);
  await adminPage.getByRole('heading', { name: 'Governance inbox' }).waitFor();
  const taskLink = adminPage.getByRole('link', { name: `plumbing: ${summary}` });
  await taskLink.waitFor();
  await audit(adminPage, 'admin: inbox');
  await shoot(adminPage, 'admin-inbox');
  await adminPage.getByLabel('Escalated only').check();
  await adminPage
    .getByText('No Tasks match.')
    .or(adminPage.getByRole('list', { name: 'Tasks' }))
    .first()
    .waitFor();
  expect(await taskLink.count()).toBe(0);
  await adminPage.getByLabel('Escalated only').uncheck();
  await taskLink.click();
  await adminPage.getByRole('heading', { name: `plumbing: ${summary}` }).waitFor();
  await audit(adminPage, 'admin: task');
  await adminPage.getByLabel('Note (optional)').fill('within our area');
  await adminPage.getByRole('button', { name: 'Approve' }).click();
  await adminPage.locator('.status', { hasText: 'approved' }).first().waitFor();
  await adminPage.getByLabel('Operator to assign').fill(operatorId);
  await adminPage.getByRole('button', { name: 'Assign' }).click();
  await adminPage.getByText(`Approved and assigned to ${operatorId}: the Job can be created.`).waitFor();
  await adminPage.getByRole('button', { name: 'Create Job' }).click();
  const confirmJob = adminPage.getByRole('dialog', { name: 'Create the Job?' });
  await confirmJob.waitFor();
  await audit(adminPage, 'admin: confirm Create Job');
  // By keyboard: focus starts on Cancel; Tab to the confirming button, Enter.
  await adminPage.keyboard.press('Tab');
  expect(await adminPage.evaluate(() => (globalThis as unknown as Window).document.activeElement?.textContent)).toBe(
    'Yes, create the Job',
  );
  await adminPage.keyboard.press('Enter');
  await adminPage.getByText('The Job exists:').waitFor();
  await adminPage.locator('.status', { hasText: 'job created' }).first().waitFor();

  // The operator's staff: queue, claim (a colleague who claims late is refused in the API's words), start.
  await signIn(operatorPage, 'Operator', `olga-${run}`, operatorId);
  await operatorPage.getByRole('heading', { name: `Queue of ${operatorId}` }).waitFor();
  const jobLink = operatorPage.getByRole('list', { name: 'Jobs' }).getByRole('link');
  await jobLink.first().waitFor();
  await audit(operatorPage, 'operator: queue');
  await jobLink.first().click();
  const jobUrl = operatorPage.url();

  const colleague = await person(PHONE);
  await signIn(colleague, 'Operator', `oskar-${run}`, operatorId);
  await colleague.clock.install(); // its page does not re-read the Job until told: it still offers Claim
  await colleague.goto(jobUrl);
  await colleague.getByRole('button', { name: 'Claim Job' }).waitFor();

  await operatorPage.getByRole('button', { name: 'Claim Job' }).click();
  await operatorPage.getByRole('button', { name: 'Start work' }).waitFor();
  await colleague.getByRole('button', { name: 'Claim Job' }).click();
  const refusal = colleague.getByRole('alert').filter({ hasText: /claimed/ });
  await refusal.waitFor();
  const refusalText = (await refusal.textContent())!;
  // The API's words for a claim that came second (409): "job is claimed (claimed by olga-…)".
  expect(refusalText).toBe(`job is claimed (claimed by olga-${run})`);
  await audit(colleague, 'operator: refused claim');

  await operatorPage.getByRole('button', { name: 'Start work' }).click();
  await operatorPage.getByRole('heading', { name: 'Stage' }).waitFor();
  await operatorPage.getByLabel('Next stage').selectOption('on_site');
  await operatorPage.getByRole('button', { name: 'Move to stage' }).click();
  await operatorPage.getByText('Now: on site').waitFor();

  // A photo, as the phone's camera input would give it.
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
  await audit(operatorPage, 'operator: evidence with a photo');
  await shoot(operatorPage, 'operator-evidence');

  await operatorPage.getByLabel('Summary of the work').fill('Replaced the trap seal; no more leak.');
  await operatorPage.getByRole('button', { name: 'Complete the work' }).click();
  await operatorPage.getByRole('dialog', { name: 'Complete the ServiceEvent?' }).waitFor();
  await operatorPage.getByRole('button', { name: 'Complete as completed' }).click();
  await operatorPage.getByText(/The Record is sealed from it/).waitFor();

  // The requester follows it to the Signal. The log's checkpoint (the Schedule signs one every
  // CHECKPOINT_INTERVAL) is signed now, so the inclusion proof exists.
  await requesterPage.getByText('Signal emitted').waitFor({ timeout: 30_000 });
  const checkpoint = await api.as(admin()).POST('/v1/log/checkpoint');
  expect([200, 201]).toContain(checkpoint.response.status);
  await requesterPage.getByRole('img', { name: 'Photo: the new trap, fitted' }).waitFor();
  await audit(requesterPage, 'requester: sealed');
  await shoot(requesterPage, 'requester-timeline');

  await requesterPage.getByRole('button', { name: 'Verify Record and Signal in this browser' }).click();
  const verdict = requesterPage.getByRole('status').getByText(/Verified:/);
  // A failed verification shows its checks: put them in the failure.
  await verdict.waitFor().catch(async (error: unknown) => {
    const section = requesterPage.locator('section', { has: requesterPage.locator('#record-heading') });
    throw new Error(`${(error as Error).message}\n${await section.innerText()}`);
  });
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
  expect(await verdict.textContent()).toMatch(/^✓ Verified/);
  expect(checks.find((c) => c.includes('Inclusion'))).toMatch(/leaf [1-9]\d* and the [1-9]\d*-hash audit path/);
  await audit(requesterPage, 'requester: verified Record and Signal');
  await requesterPage
    .locator('section', { has: requesterPage.locator('#record-heading') })
    .screenshot({ path: path.join(SHOTS, 'verified-record-signal.png') });

  expect(audited.length).toBeGreaterThanOrEqual(12);
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

  const page = await person({ width: 1024, height: 768 });
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
