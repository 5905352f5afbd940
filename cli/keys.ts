/**
 * The Signal and log key rings, and the ring that encrypts Temporal payloads: list them, or rotate them.
 *
 *   npm run keys -- list
 *   npm run keys -- rotate [--signal | --log | --payload] [--env]
 *
 * Development keys (DATA_DIR/keys/<signal|log>-keys.json) are rotated in place: a fresh current
 * key, the old one kept as a retired public key with its validity period. Keys from the
 * environment (production) are never written anywhere: `rotate` prints the next values of
 * SIGNAL_SIGNING_KEY / SIGNAL_RETIRED_KEYS (or LOG_...) for the secret store. Either way the API
 * and the workers sign with the new key once restarted, and every earlier Signal and checkpoint
 * still verifies from the published keys (JWKS, GET /v1/log/keys, the DID document).
 *
 * The payload ring (TEMPORAL_PAYLOAD_KEYS, or DATA_DIR/keys/temporal-payload-keys) is rotated
 * only when asked (`--payload`): a new key in front encrypts from the restart on, and the old
 * ones stay in the ring, because the histories they encrypted are read with them.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { loadConfigOrExit, type Config } from '../config';
import { formatPayloadKeys, rotatedPayloadKeys } from '../adapters/payload-codec';
import { loadPayloadKeys, payloadKeysFile } from '../adapters/temporal-connection';
import { verifierKey } from '../trust/log-checkpoint';
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
  npm run keys -- rotate [--signal | --log | --payload] [--env]

  rotate   a new current key for the Signals and the log (or only the one named); the old key
           stays published as retired, so everything it signed still verifies
  --payload  a new current key for Temporal payloads (only when named); the old keys stay in
           the ring and still decrypt the histories they wrote
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
        payload: { type: 'boolean', default: false },
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
  if (values.payload) return payloadKeys(command, config, values.env, out);
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

/** The payload ring: its key ids (never the keys), or the rotated ring. */
function payloadKeys(command: 'list' | 'rotate', config: Config, env: boolean, out: Out): number {
  const source = config.TEMPORAL_PAYLOAD_KEYS ? 'environment' : 'data';
  if (command === 'list' || (!env && source === 'data')) {
    if (command === 'rotate') {
      const rotated = rotatedPayloadKeys(loadPayloadKeys(config));
      const file = payloadKeysFile(config);
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, `${formatPayloadKeys(rotated)}\n`, { mode: 0o600 });
      fs.renameSync(temporary, file);
    }
    out(`Temporal payload keys (${source}):`);
    loadPayloadKeys(config).forEach((key, i) => out(`  ${i === 0 ? 'current' : 'older  '}  ${key.id}`));
    if (command === 'rotate')
      out('Restart the API and the workers (npm start: Ctrl-C and start again) to encrypt with it.');
    return 0;
  }
  // The environment's ring (or, asked to print, DATA_DIR's when there is one); a fresh ring when none exists yet.
  const existing =
    config.TEMPORAL_PAYLOAD_KEYS ?? (fs.existsSync(payloadKeysFile(config)) ? loadPayloadKeys(config) : []);
  const rotated = rotatedPayloadKeys(existing);
  out('# payload keys rotated: store this in the secret store for the API and every worker, then restart them;');
  out('# keep every older key in it for as long as histories they encrypted are kept');
  out(`TEMPORAL_PAYLOAD_KEYS='${formatPayloadKeys(rotated)}'`);
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
