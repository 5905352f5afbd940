/**
 * What `npm run reconcile` needs to find every row equal to the workflow's state.
 *
 * Decisions and escalations carry the intake version at which the workflow accepted them.
 * Their timestamps are the workflow's clock, which is the same for every change accepted in
 * one workflow task, so only the version gives the order the workflow decided in (the order a
 * sealed Record must hold them in). Rows from before this migration keep a null version.
 *
 * A Job keeps the operator id of the principal who created it (an operator governing its own
 * Task), as the workflow does; it was lost, so the Job read back differed from the one answered.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE task_decisions ADD COLUMN intake_version integer`);
  await knex.raw(`ALTER TABLE task_escalations ADD COLUMN intake_version integer`);
  await knex.raw(`ALTER TABLE jobs ADD COLUMN created_by_operator_id text`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE jobs DROP COLUMN created_by_operator_id`);
  await knex.raw(`ALTER TABLE task_escalations DROP COLUMN intake_version`);
  await knex.raw(`ALTER TABLE task_decisions DROP COLUMN intake_version`);
}
