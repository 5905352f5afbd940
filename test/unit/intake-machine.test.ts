/** The state machine alone (pure): who may do what, when — docs/ARCHITECTURE.md §1's table. */
import { check, decide, escalate, initialState, type Command, type IntakeState } from '../../domain/intake-machine';
import type { Principal } from '../../domain/schemas';

const OP = 'op-1';
const requester: Principal = { sub: 'req-1', role: 'requester' };
const adminP: Principal = { sub: 'adm-1', role: 'admin' };
const staff: Principal = { sub: 'staff-1', role: 'operator', operatorId: OP };
const colleague: Principal = { sub: 'staff-2', role: 'operator', operatorId: OP };
const stranger: Principal = { sub: 'x-1', role: 'operator', operatorId: 'op-2' };
const AT = '2026-11-26T10:00:00.000Z';

let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function fresh(audience: 'operator' | 'admin'): IntakeState {
  return initialState({
    ids: { requestId: id(), intakeId: id(), taskId: id(), actorId: id() },
    requester,
    category: 'plumbing',
    summary: 'leak',
    operatorId: audience === 'operator' ? OP : null,
    receivedAt: AT,
  });
}

function apply(state: IntakeState, p: Principal, command: Command): IntakeState {
  const result = decide(state, p, command, AT);
  if (!result.ok) throw new Error(`${command.type} refused: ${result.message}`);
  return result.state;
}

const approve = (): Command => ({ type: 'approve', decisionId: id() });
const assign = (operatorId = OP): Command => ({ type: 'assign', decisionId: id(), operatorId });
const createJob = (): Command => ({ type: 'createJob', decisionId: id(), jobId: id() });

function executing(audience: 'operator' | 'admin') {
  const governor = audience === 'operator' ? staff : adminP;
  let s = apply(fresh(audience), governor, approve());
  s = apply(s, governor, assign());
  s = apply(s, governor, createJob());
  s = apply(s, staff, { type: 'claim' });
  return apply(s, staff, { type: 'start', serviceEventId: id() });
}

test.each([
  ['operator', staff, null],
  ['operator', colleague, null],
  ['operator', adminP, 'forbidden'],
  ['operator', stranger, 'forbidden'],
  ['operator', requester, 'forbidden'],
  ['admin', adminP, null],
  ['admin', staff, 'forbidden'],
  ['admin', requester, 'forbidden'],
] as const)('approve on a %s-audience task by %o → %s', (audience, principal, expected) => {
  expect(check(fresh(audience), principal, approve())?.reason ?? null).toBe(expected);
});

test('approval and assignment never create a job; only createJob does, once', () => {
  let s = apply(fresh('admin'), adminP, approve());
  s = apply(s, adminP, assign());
  expect(s.job).toBeNull();
  expect(s.phase).toBe('governance');
  s = apply(s, adminP, createJob());
  expect(s.job).toMatchObject({ status: 'queued', operatorId: OP });
  expect(s.phase).toBe('queued');
  expect(check(s, adminP, createJob())?.reason).toBe('conflict');
  expect(check(s, adminP, approve())?.reason).toBe('conflict');
  expect(check(s, requester, { type: 'withdraw', decisionId: id() })?.reason).toBe('conflict');
});

test('stages only move forward and only while the service event is open', () => {
  let s = executing('operator');
  s = apply(s, staff, { type: 'stage', stage: 'on_site' });
  expect(check(s, staff, { type: 'stage', stage: 'en_route' })?.reason).toBe('conflict');
  expect(check(s, staff, { type: 'stage', stage: 'on_site' })?.reason).toBe('conflict');
  s = apply(s, staff, { type: 'stage', stage: 'wrapping_up' });
  s = apply(s, staff, { type: 'complete', outcome: 'completed', summary: 'done' });
  expect(s.phase).toBe('sealing');
  expect(s.job?.status).toBe('completed');
  expect(
    check(s, staff, { type: 'evidence', evidenceId: id(), evidence: { kind: 'note', description: 'late' } })?.reason,
  ).toBe('conflict');
  expect(check(s, staff, { type: 'complete', outcome: 'failed', summary: 'again' })?.reason).toBe('conflict');
});

test('only the claimer starts; a second claim is a conflict', () => {
  let s = apply(fresh('operator'), staff, approve());
  s = apply(apply(s, staff, assign()), staff, createJob());
  s = apply(s, colleague, { type: 'claim' });
  expect(check(s, staff, { type: 'claim' })?.reason).toBe('conflict');
  expect(check(s, staff, { type: 'start', serviceEventId: id() })?.reason).toBe('forbidden');
  expect(check(s, colleague, { type: 'start', serviceEventId: id() })).toBeNull();
});

test('only the claimant stages, adds evidence and completes; a colleague of the same operator may not', () => {
  const s = executing('admin');
  const commands: Command[] = [
    { type: 'stage', stage: 'en_route' },
    { type: 'evidence', evidenceId: id(), evidence: { kind: 'note', description: 'arrived' } },
    { type: 'complete', outcome: 'completed', summary: 'done' },
  ];
  for (const command of commands) {
    expect(check(s, colleague, command)).toMatchObject({ reason: 'forbidden' });
    expect(check(s, { ...staff, role: 'admin' }, command)).toMatchObject({ reason: 'forbidden' });
    expect(check(s, { ...staff, operatorId: 'op-2' }, command)).toMatchObject({ reason: 'forbidden' });
    expect(check(s, staff, command)).toBeNull();
  }
  // Authorization before state: after completion the colleague still learns only that it may not act.
  const closed = apply(s, staff, { type: 'complete', outcome: 'completed', summary: 'done' });
  expect(check(closed, colleague, commands[1]!)).toMatchObject({ reason: 'forbidden' });
});

test('refusals name no other principal: neither the owning operator nor another staff member', () => {
  let s = apply(fresh('operator'), staff, approve());
  s = apply(apply(s, staff, assign()), staff, createJob());
  const refusals = [
    check(fresh('operator'), stranger, approve()),
    check(fresh('operator'), adminP, approve()),
    check(s, stranger, { type: 'claim' }),
  ];
  s = apply(s, staff, { type: 'claim' });
  refusals.push(check(s, colleague, { type: 'start', serviceEventId: id() }));
  refusals.push(check(s, stranger, { type: 'start', serviceEventId: id() }));
  s = apply(s, staff, { type: 'start', serviceEventId: id() });
  refusals.push(check(s, stranger, { type: 'stage', stage: 'en_route' }));
  refusals.push(check(s, colleague, { type: 'complete', outcome: 'completed', summary: 'x' }));
  for (const refusal of refusals) {
    expect(refusal?.reason).toBe('forbidden');
    expect(refusal!.message).not.toContain(OP);
    expect(refusal!.message).not.toContain(staff.sub);
  }
});

test('reject and withdraw end the intake; the requester alone withdraws', () => {
  expect(apply(fresh('admin'), adminP, { type: 'reject', decisionId: id(), reason: 'no' }).phase).toBe('rejected');
  expect(check(fresh('admin'), adminP, { type: 'withdraw', decisionId: id() })?.reason).toBe('forbidden');
  expect(apply(fresh('admin'), requester, { type: 'withdraw', decisionId: id() }).phase).toBe('withdrawn');
});

describe('escalation policy', () => {
  const nudge = (s: IntakeState) => ({
    escalationId: id(),
    expectedAudience: s.task.audience,
    expectedLevel: s.task.escalationLevel,
    reason: 'stale',
  });

  test('an operator task moves to the admins, whose approval then counts and the operator’s does not', () => {
    const s = escalate(fresh('operator'), nudge(fresh('operator')), { maxLevel: 3 }, AT)!.state;
    expect(s.task).toMatchObject({ audience: 'admin', escalationLevel: 1 });
    expect(check(s, staff, approve())).toMatchObject({
      reason: 'forbidden',
      message: expect.stringContaining('escalated'),
    });
    expect(check(s, adminP, approve())).toBeNull();
  });

  test('an admin task climbs to the ceiling and stops', () => {
    let s = fresh('admin');
    for (let level = 1; level <= 3; level += 1) {
      s = escalate(s, nudge(s), { maxLevel: 3 }, AT)!.state;
      expect(s.task.escalationLevel).toBe(level);
    }
    expect(escalate(s, nudge(s), { maxLevel: 3 }, AT)).toBeNull();
  });

  test('a repeated or stale nudge, or a decided task, is ignored', () => {
    const s0 = fresh('admin');
    const first = nudge(s0);
    const s1 = escalate(s0, first, { maxLevel: 3 }, AT)!.state;
    expect(escalate(s1, { ...first, escalationId: id() }, { maxLevel: 3 }, AT)).toBeNull();
    const rejected = apply(fresh('admin'), adminP, { type: 'reject', decisionId: id(), reason: 'no' });
    expect(escalate(rejected, nudge(rejected), { maxLevel: 3 }, AT)).toBeNull();
  });
});
