/**
 * The floors of the house (docs/ARCHITECTURE.md, "The floors"), top to bottom. A file imports
 * only from its own floor or the floors below it, never back up, and no files import each other
 * in a loop. Type-only imports count: a type that points up is a dependency that points up.
 */
const FLOORS = [
  // What people run: the command-line tools, the console, the development stack, the measurements.
  { name: 'run', path: '^(bin|cli|client|console|measure|stack)/' },
  // The two kinds of process: the HTTP API and the Temporal workers.
  { name: 'serve', path: '^(api|workers)/' },
  // Whatever starts, signals, updates or schedules workflows from outside them.
  { name: 'orchestration', path: '^orchestration/' },
  { name: 'workflows', path: '^workflows/' },
  { name: 'activities', path: '^activities/' },
  // All SQL.
  { name: 'db', path: '^db/' },
  // The shape of the configuration: read at the top (loadConfig), handed down as values.
  { name: 'config', path: '^config/' },
  // The ground: plain adapters (HTTP, Temporal connection, logs...), then trust, then the domain.
  { name: 'adapters', path: '^adapters/' },
  { name: 'trust', path: '^trust/' },
  { name: 'domain', path: '^domain/' },
];

const upward = FLOORS.slice(1).map((floor, i) => ({
  name: `no-import-up-from-${floor.name}`,
  comment: `${floor.name}/ sits below ${FLOORS.slice(0, i + 1)
    .map((f) => f.name)
    .join(', ')}: it must not import from them (hand values down instead).`,
  severity: 'error',
  from: { path: floor.path },
  to: { path: FLOORS.slice(0, i + 1).map((f) => f.path) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'Files that import each other in a loop cannot be read, tested or placed on one floor.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test|coverage|data|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
