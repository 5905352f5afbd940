/** Real intake workflows waiting in governance, in bulk, for the benchmarks. */
import type { IntakeClient } from '../orchestration/intake-client';
import { prepareSubmission } from '../orchestration/submission';

/** The operators the seeded requests address (their Tasks' audience). */
export const seedOperatorIds = Array.from({ length: 50 }, (_, i) => `op-bench-${i}`);

/**
 * Starts `count` intake workflows for operator-audience requests, each waiting in governance,
 * `concurrency` submissions at a time. Resolves with their intake ids.
 */
export async function seedWaitingIntakes(
  intakes: IntakeClient,
  count: number,
  concurrency: number,
  progress: (done: number) => void = () => undefined,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const requester = { sub: `bench-requester-${i % 100}`, role: 'requester' as const };
        const input = prepareSubmission(
          requester,
          {
            channel: 'api',
            actor: { kind: 'person', name: `Bench actor ${i}` },
            request: { category: 'plumbing', summary: `Waiting request ${i}` },
            operatorId: seedOperatorIds[i % seedOperatorIds.length]!,
          },
          null,
        );
        await intakes.submit(input);
        ids.push(input.ids.intakeId);
        if (ids.length % 1000 === 0) progress(ids.length);
      }
    }),
  );
  return ids;
}
