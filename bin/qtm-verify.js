#!/usr/bin/env node
// Launcher for qtm-verify (`npx qtm-verify ...` in this repository, or the installed bin).
// In a source checkout it runs cli/qtm-verify.ts through tsx (a devDependency), so it is never
// stale; where only the compiled build exists (`npm run build`, production images without dev
// dependencies) it runs dist/cli/qtm-verify.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function load() {
  const source = path.join(__dirname, '..', 'cli', 'qtm-verify.ts');
  if (fs.existsSync(source)) {
    try {
      return require('tsx/cjs/api').require(source, __filename);
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('tsx')) throw error;
    }
  }
  return require(path.join(__dirname, '..', 'dist', 'cli', 'qtm-verify.js'));
}

let cli;
try {
  cli = load();
} catch (error) {
  process.stderr.write(
    `qtm-verify: cannot load the verifier (${error.message}); run \`npm install\` (for tsx) or \`npm run build\`\n`,
  );
  process.exit(2);
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`qtm-verify: ${error.message}\n`);
    process.exitCode = 2;
  },
);
