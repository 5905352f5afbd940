/** What the HTTP layer is built from (createApp's argument), and helpers every route shares. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Vault } from '../db/personal-data';
import type { ReadModel } from '../db/read-model';
import { hasPersonalFields } from '../domain/personal';
import { CommandRefused, type IntakeClient } from '../orchestration/intake-client';
import type { TrustKeys } from '../trust/keys';
import type { CommandUpdate } from '../workflows/messages';
import type { Principal } from '../domain/schemas';
import type { AuthKeys } from './auth';
import { conflict, forbidden, notFound } from './errors';
import type { Client } from '@temporalio/client';

export interface ApiDeps {
  config: Config;
  db: Knex;
  temporal: Client;
  intakes: IntakeClient;
  readModel: ReadModel;
  /** Where personal values are kept: commands carry references to them (db/personal-data.ts). */
  vault: Vault;
  authKeys: AuthKeys;
  /** The Signal and log key rings: current keys and the retired ones still published. */
  keys: TrustKeys;
  log: Logger;
}

/**
 * The Update id for a command: the caller's Idempotency-Key, scoped to the whole principal (role,
 * sub, operatorId), the command and the resource. Another role with the same `sub` is another
 * principal, whose key never reaches this one's Update.
 */
export function updateIdFor(command: string, resourceId: string, principal: Principal, key: string): string {
  const scoped = createHash('sha256')
    .update([principal.role, principal.sub, principal.operatorId ?? '', key].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  return `${command}:${resourceId}:${scoped}`;
}

export interface CommandCall<Ret, A> {
  intakeId: string;
  update: CommandUpdate<Ret, A>;
  arg: A & { principal: Principal };
  /** The Task, Job, ServiceEvent or Intake the command acts on: scopes its Idempotency-Key. */
  resourceId: string;
  idempotencyKey: string | null;
}

/**
 * Sends a command to the intake's workflow as an Update, and answers only what the workflow
 * answered. A retry with the same Idempotency-Key is the same Update: applied once, and answered
 * the same by the server (from the workflow's history, even after the workflow has ended).
 */
export async function sendCommand<Ret, A>(deps: ApiDeps, call: CommandCall<Ret, A>): Promise<Ret> {
  const { principal } = call.arg;
  const updateId = call.idempotencyKey
    ? updateIdFor(call.update.name, call.resourceId, principal, call.idempotencyKey)
    : undefined;
  // The workflow gets references in place of the command's personal values, which the vault keeps.
  const { name } = call.update;
  const committed = hasPersonalFields(name)
    ? await deps.vault.commit({ intakeId: call.intakeId }, name, call.arg)
    : null;
  try {
    const answer = await deps.intakes.command(
      call.intakeId,
      call.update,
      committed?.body ?? call.arg,
      updateId,
      committed?.fingerprint,
    );
    return await deps.vault.reveal(call.intakeId, answer);
  } catch (error) {
    // Refused for good: nothing refers to the values it brought. (Unanswered, it may still be applied.)
    if (committed && error instanceof CommandRefused && error.reason !== 'unavailable')
      await deps.vault.forget(committed.refs);
    if (error instanceof CommandRefused && error.reason === 'ended') {
      const phase = (await deps.readModel.intakePhase(call.intakeId)) ?? 'unknown';
      throw conflict(`the intake has ended (${phase}); nothing more can be done to it`);
    }
    throw error;
  }
}

export const isAdmin = (p: Principal) => p.role === 'admin';

export function mustExist<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw notFound(`no such ${what}`);
  return value;
}

export function allow(ok: boolean, detail: string): void {
  if (!ok) throw forbidden(detail);
}
