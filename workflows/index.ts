/** Every workflow the worker hosts (the bundle's entry point). */
export { intakeWorkflow } from './intake';
export { checkpointWorkflow } from './log-checkpoint';
export { escalationSweepWorkflow } from './escalation';
export { retentionSweepWorkflow } from './retention';
export { webhookDispatcherWorkflow, webhookDeliveryWorkflow } from './webhooks';
