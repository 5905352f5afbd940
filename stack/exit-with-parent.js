// Preloaded (`node --require`) into the API and worker that `npm start` runs. They are in
// process groups of their own, so if the supervisor dies without stopping them (SIGKILL), the
// end of its IPC channel is what tells them to stop, gracefully, as on SIGTERM.
// Plain CommonJS: it also loads in the worker's threads, before any TypeScript loader.
'use strict';
const { isMainThread } = require('node:worker_threads');

if (isMainThread && process.channel) {
  // The channel must not keep alive a process that has finished its work.
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
