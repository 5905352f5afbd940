/**
 * Turns an accepted `POST /v1/requests` into the intake workflow's input: the ids of the
 * new Actor, Request, Intake and Task, and the hash of the body as received. With an
 * Idempotency-Key the ids are derived from (the whole principal, key), so a retried submission — even
 * two racing ones — names the same workflow and cannot start a second.
 */
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { Principal, SubmitRequestBody } from '../domain/schemas';
import { canonicalBytes, sha256Hex } from '../trust/canonical';
import type { IntakeWorkflowInput } from '../workflows/messages';

/** Namespace for QTM OS name-based UUIDs (fixed forever: changing it changes derived ids). */
const QTM_NAMESPACE = '0b6c2f52-6d8e-4a4b-9f0e-3a51d1f0c7e1';

const derive = (...parts: string[]) => uuidv5(parts.join('\u0000'), QTM_NAMESPACE);

/** A requester asking for itself is always the same Actor. */
export const actorIdForPrincipal = (sub: string) => derive('actor', sub);

export function prepareSubmission(
  principal: Principal,
  body: SubmitRequestBody,
  idempotencyKey: string | null,
  receivedAt: Date = new Date(),
): IntakeWorkflowInput {
  // The whole principal: an admin with a requester's `sub` replaying its key starts its own Intake.
  const seed =
    idempotencyKey === null
      ? null
      : ['submission', principal.role, principal.sub, principal.operatorId ?? '', idempotencyKey];
  const id = (kind: string) => (seed ? derive(...seed, kind) : randomUUID());
  const actorId = body.actor.id ?? (principal.role === 'requester' ? actorIdForPrincipal(principal.sub) : id('actor'));
  return {
    ids: { requestId: id('request'), intakeId: id('intake'), taskId: id('task'), actorId },
    requester: principal,
    body,
    bodySha256: sha256Hex(canonicalBytes(body)),
    idempotencyKey,
    receivedAt: receivedAt.toISOString(),
  };
}
