/**
 * /docs: the OpenAPI document rendered by Redoc, a kept renderer, whose standalone bundle this
 * API serves itself (no CDN: the page works offline and behind a firewall). A production build
 * copies the bundle next to this file (`npm run build`); a source checkout reads it from the
 * redoc devDependency.
 */
import fs from 'node:fs';
import path from 'node:path';

export const REDOC_SCRIPT_PATH = '/docs/redoc.standalone.js';

let script: Buffer | null | undefined;

/** The Redoc bundle, read once; null when neither the build's copy nor the package is there. */
export function redocScript(): Buffer | null {
  if (script !== undefined) return script;
  const built = path.join(__dirname, 'redoc.standalone.js');
  let file: string | null = fs.existsSync(built) ? built : null;
  try {
    file ??= require.resolve('redoc/bundles/redoc.standalone.js');
  } catch {
    file = null;
  }
  script = file ? fs.readFileSync(file) : null;
  return script;
}

/**
 * What the page may load: its script from this origin only (no inline script, no eval), the
 * document from this origin, nothing framed and framed by nobody. Redoc styles its components with
 * styled-components, which writes <style> elements at run time: hence 'unsafe-inline' for styles
 * alone (a style cannot run code). Its search runs in a worker it makes from a blob: URL.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY,
  // For browsers without CSP level 2's frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function renderDocsPage(documentPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>QTM OS API</title>
<style>body { margin: 0; }</style>
</head>
<body>
<noscript>This page renders <a href="${documentPath}">the OpenAPI document</a> with JavaScript.</noscript>
<redoc spec-url="${documentPath}" hide-download-button="false" path-in-middle-panel="true"></redoc>
<script src="${REDOC_SCRIPT_PATH}"></script>
</body>
</html>
`;
}
