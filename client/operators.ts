/**
 * The operator directory through the contract: registering the operators a tool or test is about
 * to name. A requester may address, and an admin assign, only a known operator (else 422), so
 * everything that makes up operator ids (the demo, the benchmarks, the chaos run, the UI check,
 * the tests) registers them first, through this one helper.
 */
import { reasonOf, type QtmClient, type Schemas } from './index';

export type Category = Schemas['Category'];
export type OperatorRegistration = Schemas['OperatorRegistration'];

/** Registers (or updates) each operator as `admin` (a client holding an admin's token); answers them. */
export async function registerOperators(
  admin: QtmClient,
  operators: ReadonlyArray<{ id: string } & Partial<OperatorRegistration>>,
): Promise<Array<Schemas['Operator']>> {
  return Promise.all(
    operators.map(async ({ id, displayName, categories }) => {
      const { data, error, response } = await admin.PUT('/v1/operators/{operatorId}', {
        params: { path: { operatorId: id } },
        body: { displayName: displayName ?? `Operator ${id}`, categories: categories ?? ['maintenance'] },
      });
      if (!data) throw new Error(`registering operator ${id}: ${reasonOf(error, response)}`);
      return data;
    }),
  );
}
