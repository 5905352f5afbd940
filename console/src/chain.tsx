/** The Intake chain a page shows or belongs to (GET /v1/intakes/:id), and what it says was asked. */
import type { ComponentChildren } from 'preact';
import type { Schemas } from '../../client';
import { api } from './session';
import { must, Status, usePoll } from './ui';

type Chain = Schemas['IntakeChain'];

/** The chain, read as usePoll reads; nothing while its id is not known yet (a Task's or a Job's Intake). */
export function useChain(intakeId: string | undefined) {
  return usePoll(
    () =>
      intakeId ? must(api.GET('/v1/intakes/{id}', { params: { path: { id: intakeId } } })) : Promise.resolve(undefined),
    intakeId ?? '',
  );
}

/** What was asked, as the inbox and the Task and Job pages title it. */
export const askedFor = (chain: Chain) => `${String(chain.intake.category)}: ${String(chain.intake.summary)}`;

/** A Task's or a Job's heading: what its Intake asked for (its own name until that is read), its status, facts. */
export function StepHeading(props: {
  chain: Chain | undefined;
  name: string;
  status: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <h1>{props.chain ? askedFor(props.chain) : props.name}</h1>
      <p>
        <Status of={props.status} /> <span class="muted">{props.children}</span>
      </p>
    </>
  );
}
