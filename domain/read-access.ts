/**
 * Who may read what, as pure functions over the facts that decide it. A right to read follows
 * the chain as it is now, not as it was: an operator reads an Intake while its Task or its Job
 * names that operator, and loses the right when escalation and a new assignment move the work
 * elsewhere. Principals are compared whole (role, sub and operatorId), never by `sub` alone:
 * the same `sub` under another role is another principal.
 */
import type { Audience, Principal } from './schemas';

/** A principal as it is stored beside what it did (the requester of an Intake, a Record's requester). */
export interface StoredPrincipal {
  sub: string;
  role: string;
  operatorId?: string | null;
}

export const isSamePrincipal = (p: Principal, other: StoredPrincipal): boolean =>
  p.role === other.role && p.sub === other.sub && (p.operatorId ?? null) === (other.operatorId ?? null);

/** The operator's staff named by `operatorId` (an admin is not an operator here). */
export const isOperatorOf = (p: Principal, operatorId: string | null | undefined): boolean =>
  p.role === 'operator' && typeof operatorId === 'string' && p.operatorId === operatorId;

/** What decides who may read an Intake: its requester, and the operators its Task and Job name now. */
export interface IntakeParties {
  requester: StoredPrincipal;
  task: { audience: Audience; operatorId: string | null; assigneeOperatorId: string | null };
  jobOperatorId: string | null;
}

/**
 * The operators an Intake concerns now. Once a Job exists, its operator alone (the one
 * GET /v1/jobs, /v1/service-events and /v1/records let read its parts). Before that, the
 * operator that governs the Task (only while its audience is `operator`: an escalated Task is
 * the admins') and the operator it is assigned to.
 */
export function operatorsConcerned(parties: IntakeParties): string[] {
  if (parties.jobOperatorId !== null) return [parties.jobOperatorId];
  const { task } = parties;
  return [task.audience === 'operator' ? task.operatorId : null, task.assigneeOperatorId].filter(
    (id): id is string => id !== null,
  );
}

/** GET /v1/intakes/:id: admins, its requester, and the operator concerned now. */
export const mayReadIntake = (parties: IntakeParties, p: Principal): boolean =>
  p.role === 'admin' ||
  isSamePrincipal(p, parties.requester) ||
  operatorsConcerned(parties).some((id) => isOperatorOf(p, id));

/** GET /v1/tasks/:id: admins, and the operator governing it while the Task is in its audience. */
export const mayReadTask = (task: IntakeParties['task'], p: Principal): boolean =>
  p.role === 'admin' || (task.audience === 'operator' && isOperatorOf(p, task.operatorId));

/** GET /v1/records/:id, its verification and its proof: admins, its operator, the requester of its Intake. */
export const mayReadRecord = (record: { operatorId: string; requester: StoredPrincipal }, p: Principal): boolean =>
  p.role === 'admin' || isOperatorOf(p, record.operatorId) || isSamePrincipal(p, record.requester);
