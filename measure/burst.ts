/**
 * `npm run burst [-- --rounds 8 --size 20]`: bursts of concurrent commands against a running
 * stack (`npm start`), as users cause them: each round submits a Request and fires `size`
 * governance commands at its Task at once (approve, reject, assign and create-job, each with its
 * own Idempotency-Key), then prints how they were answered. `npm run reconcile` afterwards must
 * report 0 differences.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createAuthKeys, issueToken } from '../api/auth';
import { qtmClient, type QtmClient } from '../client';
import { registerOperators } from '../client/operators';
import { loadConfigOrExit } from '../config';
import type { Principal } from '../domain/schemas';
import { loadAuthSecret } from '../trust/keys';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '8' }, size: { type: 'string', default: '20' } },
});
const rounds = Number(values.rounds);
const size = Number(values.size);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(size) || size < 2 || size > 200) {
  process.stderr.write('usage: npm run burst -- [--rounds N] [--size 2..200]\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const baseUrl = process.env.API_URL ?? `http://localhost:${config.PORT}`;
  const keys = createAuthKeys(config, await loadAuthSecret(config));
  const as = (p: Principal): QtmClient => {
    const token = issueToken(keys, p, '1h');
    return qtmClient({ baseUrl, token: () => token });
  };
  const requester = as({ sub: `burst-requester-${randomUUID().slice(0, 6)}`, role: 'requester' });
  const admins = Array.from({ length: size }, (_, i) => as({ sub: `burst-admin-${i}`, role: 'admin' }));
  // Assignments name these: only known operators may be assigned.
  await registerOperators(
    admins[0]!,
    admins.map((_, i) => ({ id: `op-burst-${i}`, displayName: `Burst Operator ${i}` })),
  );
  const totals = new Map<string, number>();
  for (let round = 1; round <= rounds; round += 1) {
    const { data: submitted, response } = await requester.POST('/v1/requests', {
      body: {
        channel: 'api',
        actor: { kind: 'person', name: 'Burst' },
        request: { category: 'other', summary: 'a burst' },
      },
    });
    if (!submitted) throw new Error(`submit answered ${response.status}`);
    const task = { params: { path: { id: submitted.taskId } } };
    const commands = admins.map((admin, i) => {
      const kind = ['approve', 'reject', 'assign', 'createJob'][i % 4]!;
      const send =
        kind === 'approve'
          ? admin.POST('/v1/tasks/{id}/approve', { ...task, body: {} })
          : kind === 'reject'
            ? admin.POST('/v1/tasks/{id}/reject', { ...task, body: { reason: 'burst' } })
            : kind === 'assign'
              ? admin.POST('/v1/tasks/{id}/assign', { ...task, body: { operatorId: `op-burst-${i}` } })
              : admin.POST('/v1/tasks/{id}/job', { ...task, body: {} });
      return send.then(({ response: r }) => `${kind} ${r.status}`);
    });
    const answers = await Promise.all(commands);
    const counts = new Map<string, number>();
    for (const a of answers) {
      counts.set(a, (counts.get(a) ?? 0) + 1);
      totals.set(a, (totals.get(a) ?? 0) + 1);
    }
    const line = [...counts].sort().map(([a, n]) => `${a}×${n}`);
    process.stdout.write(`round ${round}: intake ${submitted.intakeId}: ${line.join(', ')}\n`);
  }
  const serverErrors = [...totals].filter(([a]) => / 5\d\d$/.test(a) && !a.endsWith(' 503'));
  process.stdout.write(
    `burst: ${rounds} rounds of ${size}; ${[...totals]
      .sort()
      .map(([a, n]) => `${a}×${n}`)
      .join(', ')}\n`,
  );
  if (serverErrors.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`burst failed: ${(error as Error).message}\n`);
  process.exit(1);
});
