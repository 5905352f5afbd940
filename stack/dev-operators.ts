/**
 * The operators `npm start` registers, so that the console's development sign-in has businesses
 * to pick as an operator and to address and assign work to. Added when missing, never overwritten:
 * an admin's edits survive a restart.
 */
import type { Config } from '../config';
import { createDb } from '../db';
import { createOperatorStore, type OperatorInput } from '../db/operators';

export const DEV_OPERATORS: ReadonlyArray<{ id: string } & OperatorInput> = [
  { id: 'op-northside', displayName: 'Northside Plumbing', categories: ['plumbing', 'heating'] },
  { id: 'op-brightspark', displayName: 'Bright Spark Electrical', categories: ['electrical', 'appliance_repair'] },
  {
    id: 'op-greenleaf',
    displayName: 'Greenleaf Gardens & Grounds',
    categories: ['gardening', 'cleaning', 'maintenance'],
  },
];

export async function registerDevOperators(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_APP_ROLE'>) {
  const db = createDb({ ...config, DATABASE_POOL_MAX: 1 });
  try {
    await createOperatorStore(db).addMissing(DEV_OPERATORS, 'npm start');
  } finally {
    await db.destroy();
  }
}
