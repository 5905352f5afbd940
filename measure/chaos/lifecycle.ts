/** One Intake driven over HTTP, by the typed client's lifecycle driver, to the end its plan says it should reach. */
import { qtmClient } from '../../client';
import { driveLifecycle, StepFailed, type Ending } from '../../client/lifecycle';
import { registerOperators } from '../../client/operators';
import type { Principal } from '../../domain/schemas';

export type { Ending };

export interface Plan {
  index: number;
  ending: Ending;
  audience: 'operator' | 'admin';
  operatorId: string;
  requester: Principal;
  governor: Principal;
  staff: Principal;
}

export interface Driven {
  plan: Plan;
  intakeId: string | null;
  /** Answers that contradict the contract (a 4xx where a 2xx was due). */
  anomalies: string[];
}

const CHAOS_OPERATORS = 7;
/** The operators a run's lifecycles are assigned to (registered before the first is driven). */
export const chaosOperatorIds = (runId: string): string[] =>
  Array.from({ length: CHAOS_OPERATORS }, (_, i) => `op-chaos-${runId}-${i}`);

/** Registers the run's operators in the directory, as an admin. */
export async function registerChaosOperators(runId: string, connection: Connection): Promise<void> {
  const admin = qtmClient({
    baseUrl: connection.baseUrl,
    token: () => connection.token({ sub: `chaos-${runId}-admin`, role: 'admin' }),
  });
  await registerOperators(
    admin,
    chaosOperatorIds(runId).map((id, i) => ({ id, displayName: `Chaos Maintenance ${i}` })),
  );
}

export function planFor(index: number, runId: string): Plan {
  // A fixed mix: mostly completed work, some failed, some rejected or withdrawn in governance.
  const endings: Ending[] = [
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'failed',
    'completed',
    'rejected',
    'completed',
    'withdrawn',
  ];
  const operatorId = chaosOperatorIds(runId)[index % CHAOS_OPERATORS]!;
  const audience = index % 2 === 0 ? 'admin' : 'operator';
  const staff: Principal = { sub: `${operatorId}-tech-${index}`, role: 'operator', operatorId };
  return {
    index,
    ending: endings[index % endings.length]!,
    audience,
    operatorId,
    requester: { sub: `chaos-${runId}-requester-${index}`, role: 'requester' },
    governor: audience === 'admin' ? { sub: `chaos-${runId}-admin`, role: 'admin' } : staff,
    staff,
  };
}

export interface Connection {
  baseUrl: string;
  fetch: typeof fetch;
  token: (p: Principal) => Promise<string>;
}

export async function drive(plan: Plan, connection: Connection): Promise<Driven> {
  const out: Driven = { plan, intakeId: null, anomalies: [] };
  const as = (p: Principal) =>
    qtmClient({ baseUrl: connection.baseUrl, fetch: connection.fetch, token: () => connection.token(p) });
  const cast = { requester: as(plan.requester), governor: as(plan.governor), staff: as(plan.staff) };
  const body = {
    channel: 'api' as const,
    actor: { kind: 'business' as const, name: `Chaos Customer ${plan.index}` },
    request: { category: 'maintenance' as const, summary: `Chaos lifecycle ${plan.index}` },
    ...(plan.audience === 'operator' ? { operatorId: plan.operatorId } : {}),
  };
  const evidence = [
    { kind: 'note' as const, description: `arrived for lifecycle ${plan.index}` },
    { kind: 'measurement' as const, value: plan.index, unit: 'units' },
    { kind: 'photo' as const, sha256: 'f'.repeat(64), mediaType: 'image/jpeg' },
  ];
  try {
    const ids = await driveLifecycle(
      cast,
      {
        body,
        operatorId: plan.operatorId,
        ending: plan.ending,
        evidence,
        summary: `lifecycle ${plan.index}`,
      },
      { onSubmitted: ({ intakeId }) => (out.intakeId = intakeId) },
    );
    out.intakeId = ids.intakeId;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    out.anomalies.push(error.message);
  }
  return out;
}
