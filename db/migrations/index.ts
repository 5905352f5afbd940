/**
 * Migrations are listed here rather than discovered on disk, so the same list works from
 * TypeScript sources (tests, tsx) and from the compiled dist/ (production).
 */
import type { Knex } from 'knex';
import * as chain from './001_chain';
import * as merkleLog from './002_merkle_log';
import * as escalationSweep from './003_escalation_sweep';
import * as taskListOrder from './004_task_list_order';
import * as webhooks from './005_webhooks';
import * as oneTruth from './006_one_truth';
import * as logWitnesses from './007_log_witnesses';
import * as evidenceFiles from './008_evidence_files';
import * as temporalBinding from './009_temporal_binding';
import * as personalData from './010_personal_data';
import * as operators from './011_operators';
import * as fileChunksDeliveryOutcomes from './012_file_chunks_delivery_outcomes';

const migrations: Record<string, Knex.Migration> = {
  '001_chain': chain,
  '002_merkle_log': merkleLog,
  '003_escalation_sweep': escalationSweep,
  '004_task_list_order': taskListOrder,
  '005_webhooks': webhooks,
  '006_one_truth': oneTruth,
  '007_log_witnesses': logWitnesses,
  '008_evidence_files': evidenceFiles,
  '009_temporal_binding': temporalBinding,
  '010_personal_data': personalData,
  '011_operators': operators,
  '012_file_chunks_delivery_outcomes': fileChunksDeliveryOutcomes,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
