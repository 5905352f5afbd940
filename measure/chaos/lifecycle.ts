/** One Intake driven over HTTP to the end its plan says it should reach. */
import type { Principal } from '../../domain/schemas';
import type { ImpatientClient, Answer } from './client';

export type Ending = 'completed' | 'failed' | 'rejected' | 'withdrawn';

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
  const operatorId = `op-chaos-${runId}-${index % 7}`;
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

export async function drive(
  plan: Plan,
  client: ImpatientClient,
  token: (p: Principal) => Promise<string>,
): Promise<Driven> {
  const anomalies: string[] = [];
  const out: Driven = { plan, intakeId: null, anomalies };
  const [requesterToken, governorToken, staffToken] = await Promise.all([
    token(plan.requester),
    token(plan.governor),
    token(plan.staff),
  ]);
  const expect = (what: string, answer: Answer, status: number) => {
    if (answer.status !== status)
      anomalies.push(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.status === status;
  };

  const submitted = await client.send('POST', '/v1/requests', requesterToken, {
    channel: 'api',
    actor: { kind: 'business', name: `Chaos Customer ${plan.index}` },
    request: { category: 'maintenance', summary: `Chaos lifecycle ${plan.index}` },
    ...(plan.audience === 'operator' ? { operatorId: plan.operatorId } : {}),
  });
  if (!expect('submit', submitted, 201)) return out;
  out.intakeId = submitted.body.intakeId;
  const { taskId } = submitted.body;

  if (plan.ending === 'withdrawn') {
    expect(
      'withdraw',
      await client.send('POST', `/v1/intakes/${out.intakeId}/withdraw`, requesterToken, { reason: 'no longer needed' }),
      200,
    );
    return out;
  }
  if (plan.ending === 'rejected') {
    expect(
      'reject',
      await client.send('POST', `/v1/tasks/${taskId}/reject`, governorToken, { reason: 'out of area' }),
      200,
    );
    return out;
  }
  if (!expect('approve', await client.send('POST', `/v1/tasks/${taskId}/approve`, governorToken, {}), 200)) return out;
  if (
    !expect(
      'assign',
      await client.send('POST', `/v1/tasks/${taskId}/assign`, governorToken, { operatorId: plan.operatorId }),
      200,
    )
  )
    return out;
  const job = await client.send('POST', `/v1/tasks/${taskId}/job`, governorToken);
  if (!expect('create job', job, 201)) return out;
  if (!expect('claim', await client.send('POST', `/v1/jobs/${job.body.id}/claim`, staffToken), 200)) return out;
  const started = await client.send('POST', `/v1/jobs/${job.body.id}/start`, staffToken);
  if (!expect('start', started, 201)) return out;
  const se = started.body.serviceEventId as string;
  for (const stage of ['en_route', 'on_site'])
    expect(`stage ${stage}`, await client.send('POST', `/v1/service-events/${se}/stage`, staffToken, { stage }), 200);
  const evidence = [
    { kind: 'note', description: `arrived for lifecycle ${plan.index}` },
    { kind: 'measurement', value: plan.index, unit: 'units' },
    { kind: 'photo', sha256: 'f'.repeat(64), mediaType: 'image/jpeg' },
  ];
  for (const e of evidence)
    expect(`evidence ${e.kind}`, await client.send('POST', `/v1/service-events/${se}/evidence`, staffToken, e), 201);
  expect(
    'complete',
    await client.send('POST', `/v1/service-events/${se}/complete`, staffToken, {
      outcome: plan.ending,
      summary: `lifecycle ${plan.index}`,
    }),
    202,
  );
  return out;
}
