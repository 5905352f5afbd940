/**
 * /docs under its Content-Security-Policy (issue 21), in Debian's Chromium: Redoc still renders the
 * contract and its search still works (its worker, its run-time styles) with no violation reported,
 * and a page of another origin cannot frame it (frame-ancestors 'none').
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { startTestApi, type TestApi } from './support/api';

jest.setTimeout(90_000);

let api: TestApi;
let browser: Browser;
let framer: http.Server;
let framerUrl: string;

beforeAll(async () => {
  [api, browser] = await Promise.all([startTestApi({}, undefined, { worker: false }), launchChromium()]);
  // Another origin (another port) whose page puts /docs in a frame.
  framer = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(
      `<!doctype html><title>framer</title><iframe id="docs" src="${api.url}/docs" width="800" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
  framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => framer?.close(resolve));
  await api?.stop();
});

/** The CSP violations the page reports (its securitypolicyviolation events, gathered from the start). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  // In the page (no DOM types here).
  await page.addInitScript(`
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.cspViolations.push(event.effectiveDirective + ' blocked ' + event.blockedURI));
  `);
  return async () => (await page.evaluate('window.cspViolations')) as string[];
}

test('/docs is served with a CSP that allows no inline or foreign script and no framing', async () => {
  const res = await fetch(`${api.url}/docs`);
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );
  expect(directives).toMatchObject({
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
  });
  expect(res.headers.get('x-frame-options')).toBe('DENY');
});

test('Redoc renders the contract and searches it under that policy, with no violation', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const blocked = await watchViolations(page);
  await page.goto(`${api.url}/docs`);
  await page
    .getByRole('heading', { name: /QTM OS API/ })
    .first()
    .waitFor({ timeout: 30_000 });
  // The side menu lists the operations, and an operation's section has its summary as a heading.
  await page.getByRole('heading', { name: 'Liveness' }).first().waitFor();
  // Redoc's search runs in a worker it makes from a blob: URL.
  await page.getByPlaceholder('Search...').fill('Readiness');
  await page.locator('[data-role="search:results"] [role="menuitem"]').first().waitFor();
  expect(await page.locator('[data-role="search:results"]').innerText()).toContain('Readiness');
  // Its styles are written at run time: the page is laid out, not bare HTML.
  expect((await page.locator('.menu-content').first().boundingBox())?.width).toBeGreaterThan(100);
  // Nothing of the page itself was blocked. What is, on purpose, is the one call out: the footer's
  // logo from Redocly's CDN (the page loads nothing from elsewhere).
  const violations = await blocked();
  expect(violations.filter((v) => !/^img-src blocked https:\/\/cdn\.redoc\.ly\//.test(v))).toEqual([]);
  await context.close();
});

test('a page of another origin cannot frame /docs', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
  });
  await page.goto(framerUrl);
  const frame = page.frames().find((f) => f !== page.mainFrame())!;
  // Give a framed page time to render, as it would without the policy.
  await page.waitForTimeout(1_500);
  const rendered = await frame
    .locator('redoc, .menu-content')
    .count()
    .catch(() => 0);
  expect(rendered).toBe(0);
  expect(frame.url()).not.toBe(`${api.url}/docs`);
  expect(refusals.join('\n')).toMatch(/frame-ancestors 'none'/);
  await context.close();
});
