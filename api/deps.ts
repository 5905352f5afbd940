/** What the HTTP layer is built from (createApp's argument), and helpers every route shares. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AppliedUpdate, ReadModel } from '../db/read-model';
import { CommandRefused, type IntakeClient } from '../lib/intake-client';
import type { SigningKey } from '../trust/keys';
import type { UpdateDefinition } from '@temporalio/common';
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
  authKeys: AuthKeys;
  signingKey: SigningKey;
  log: Logger;
}

/** The Update id for a command: the caller's Idempotency-Key, scoped to the principal, command and resource. */
export function updateIdFor(command: string, resourceId: string, principal: Principal, key: string): string {
  const scoped = createHash('sha256').update(`${principal.sub}\u0000${key}`).digest('hex').slice(0, 32);
  return `${command}:${resourceId}:${scoped}`;
}

export interface CommandCall<Ret, Arg> {
  intakeId: string;
  update: UpdateDefinition<Ret, [Arg]>;
  arg: Arg;
  resourceId: string;
  principal: Principal;
  idempotencyKey: string | null;
  /** The answer to give a retry that arrives after the workflow has ended, given what the Update wrote. */
  replay: (applied: AppliedUpdate) => Promise<Ret | null>;
}

/**
 * Sends a command to the intake's workflow as an Update. A retry with the same
 * Idempotency-Key is the same Update: applied once, answered the same. If the workflow has
 * ended in the meantime, the audit trail tells whether that Update was applied.
 */
export async function sendCommand<Ret, Arg>(deps: ApiDeps, call: CommandCall<Ret, Arg>): Promise<Ret> {
  const updateId = call.idempotencyKey
    ? updateIdFor(call.update.name, call.resourceId, call.principal, call.idempotencyKey)
    : undefined;
  try {
    return await deps.intakes.command(call.intakeId, call.update, call.arg, updateId);
  } catch (error) {
    if (error instanceof CommandRefused && error.reason === 'ended') {
      const applied = updateId ? await deps.readModel.appliedUpdate(updateId) : null;
      if (applied) {
        const answer = await call.replay(applied);
        if (answer !== null) return answer;
      }
      const intake = await deps.db('intakes').where({ id: call.intakeId }).first('phase');
      throw conflict(`the intake has ended (${intake?.phase ?? 'unknown'}); nothing more can be done to it`);
    }
    throw error;
  }
}

export const isAdmin = (p: Principal) => p.role === 'admin';
export const isOperator = (p: Principal, operatorId: string | null | undefined) =>
  p.role === 'operator' && operatorId !== null && operatorId !== undefined && p.operatorId === operatorId;

export function mustExist<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw notFound(`no such ${what}`);
  return value;
}

export function allow(ok: boolean, detail: string): void {
  if (!ok) throw forbidden(detail);
}
