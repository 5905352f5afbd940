/**
 * Tracing off costs nothing: without OTEL_EXPORTER_OTLP_ENDPOINT no module of the OpenTelemetry
 * SDK or of the Temporal interceptors is loaded, and no interceptor is handed out. (Traces
 * themselves: test/traces.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

test('without OTEL_EXPORTER_OTLP_ENDPOINT nothing of the SDK is loaded and no interceptor is installed', () => {
  const probe = [
    "const { loadConfig } = require('./config');",
    "const telemetry = require('./adapters/telemetry');",
    "telemetry.startTracing(loadConfig({ NODE_ENV: 'test' }), 'probe').then((t) => {",
    "  const loaded = Object.keys(require.cache).filter((m) => m.includes('@opentelemetry') || m.includes('interceptors-opentelemetry'));",
    '  process.stdout.write(JSON.stringify({ started: t !== null, active: telemetry.tracing() !== null, loaded }));',
    '});',
  ].join('\n');
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  expect(JSON.parse(result.stdout || result.stderr)).toEqual({ started: false, active: false, loaded: [] });
});
