/** The Intake chain a page shows or belongs to (GET /v1/intakes/:id), and what it says was asked. */
import type { Schemas } from '../../client';
import { api } from './session';
import { categorySay } from './vocabulary';
import { must, usePoll } from './ui';

type Chain = Schemas['IntakeChain'];

/** The chain, read as usePoll reads; nothing while its id is not known yet (a Task's or a Job's Intake). */
export function useChain(intakeId: string | undefined) {
  return usePoll(
    () =>
      intakeId ? must(api.GET('/v1/intakes/{id}', { params: { path: { id: intakeId } } })) : Promise.resolve(undefined),
    intakeId ?? '',
  );
}

/** What was asked, as the Task and Job pages title it. */
export const askedFor = (chain: Chain) => `${categorySay(chain.intake.category)}: ${String(chain.intake.summary)}`;
