/**
 * The Signal and log key rings: list them, or rotate them.
 *
 *   npm run keys -- list
 *   npm run keys -- rotate [--signal | --log] [--env]
 *
 * Development keys (DATA_DIR/keys/<signal|log>-keys.json) are rotated in place: a fresh current
 * key, the old one kept as a retired public key with its validity period. Keys from the
 * environment (production) are never written anywhere: `rotate` prints the next values of
 * SIGNAL_SIGNING_KEY / SIGNAL_RETIRED_KEYS (or LOG_...) for the secret store. Either way the API
 * and the workers sign with the new key once restarted, and every earlier Signal and checkpoint
 * still verifies from the published keys (JWKS, GET /v1/log/keys, the DID document).
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit, type Config } from '../config';
import { verifierKey } from '../trust/checkpoint';
import {
  KeyError,
  loadKeyRing,
  ringFileFromEnv,
  ringSource,
  ringToEnv,
  rotateDevRing,
  rotatedRing,
  type KeyPurpose,
  type KeyRing,
} from '../trust/keys';

const USAGE = `usage:
  npm run keys -- list
  npm run keys -- rotate [--signal | --log] [--env]

  rotate   a new current key for the Signals and the log (or only the one named); the old key
           stays published as retired, so everything it signed still verifies
  --env    print the rotated ring as environment values instead of changing DATA_DIR/keys
           (what happens anyway when the ring comes from the environment)`;

type Out = (line: string) => void;

function describe(ring: KeyRing, config: Config, out: Out): void {
  out(`${ring.purpose === 'signal' ? 'Signal' : 'log'} keys (${ringSource(config, ring.purpose)}):`);
  for (const key of ring.published) {
    const current = key.kid === ring.current.kid;
    out(
      `  ${current ? 'current' : 'retired'}  ${key.kid}  from ${key.validFrom ?? 'the start'}${current ? '' : ` until ${key.validUntil}`}`,
    );
    if (ring.purpose === 'log') out(`           note verifier key ${verifierKey(config.LOG_ORIGIN, key.publicKey)}`);
  }
}

export async function main(argv: string[], out: Out = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        signal: { type: 'boolean', default: false },
        log: { type: 'boolean', default: false },
        env: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  if (extra.length > 0 || (command !== 'list' && command !== 'rotate')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfigOrExit();
  const { values } = parsed;
  const purposes: KeyPurpose[] =
    values.signal || values.log
      ? [...(values.signal ? ['signal' as const] : []), ...(values.log ? ['log' as const] : [])]
      : ['signal', 'log'];

  if (command === 'list') {
    for (const purpose of purposes) describe(await loadKeyRing(config, purpose), config, out);
    return 0;
  }
  for (const purpose of purposes) {
    const names =
      purpose === 'signal' ? ['SIGNAL_SIGNING_KEY', 'SIGNAL_RETIRED_KEYS'] : ['LOG_SIGNING_KEY', 'LOG_RETIRED_KEYS'];
    if (values.env || ringSource(config, purpose) === 'environment') {
      const current = config[names[0] as 'SIGNAL_SIGNING_KEY' | 'LOG_SIGNING_KEY'];
      if (!current) throw new KeyError(`${names[0]} is not set: --env rotates the ring the environment holds`);
      const rotated = await rotatedRing(
        ringFileFromEnv(current, config[names[1] as 'SIGNAL_RETIRED_KEYS' | 'LOG_RETIRED_KEYS'], purpose),
      );
      out(`# ${purpose} keys rotated: store these in the secret store, then restart the API and the workers`);
      for (const [name, value] of Object.entries(ringToEnv(rotated, purpose))) out(`${name}='${value}'`);
      if (purpose === 'log')
        out(
          `# the new log key: ${verifierKey(config.LOG_ORIGIN, Buffer.from(rotated.current.privateJwk.x!, 'base64url'))}`,
        );
    } else {
      await rotateDevRing(config, purpose);
      describe(await loadKeyRing(config, purpose), config, out);
    }
    if (purpose === 'log')
      out(
        '# witnesses must know the new log key before it signs: npm start registers it with its local witness;\n' +
          `# for others: witnessctl add-key -db <db> -origin ${config.LOG_ORIGIN} -key <the current note verifier key above>`,
      );
  }
  out('Restart the API and the workers (npm start: Ctrl-C and start again) to sign with the new keys.');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`keys: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
