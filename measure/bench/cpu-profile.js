// Preloaded by `npm run bench -- --profile DIR` into the worker and the API (NODE_OPTIONS refuses
// --cpu-prof): samples the process with the inspector and writes DIR/<name>-<pid>.cpuprofile at exit.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const dir = process.env.QTM_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  const entry = process.argv[1] || 'node';
  const name = `${path.basename(path.dirname(entry))}-${path.basename(entry, '.ts')}`;
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // Same-thread inspector sessions answer synchronously, so this works inside 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('exit', write);
}
