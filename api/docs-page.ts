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
