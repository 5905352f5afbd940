/** Personal data: erasing an Actor's (GDPR art. 17, CCPA deletion). The vault is db/personal-data.ts. */
import { z } from 'zod';
import { erasureSchema } from '../../domain/schemas';
import { acting } from '../../domain/intake-machine';
import { mustExist, type ApiDeps } from '../deps';
import type { ApiRoutes } from '../route';

const actorParams = z.object({ actorId: z.uuid({ message: 'must be a UUID' }) });

const erasureResultSchema = z
  .object({
    actorId: z.uuid(),
    erasedAt: z.string().openapi({ format: 'date-time' }),
    valuesErased: z.number().int().openapi({ description: 'Personal values forgotten by this call (0 on a repeat)' }),
    filesErased: z.number().int().openapi({ description: 'Evidence files deleted by this call' }),
    recordsKeepingValues: z.number().int().openapi({
      description:
        'Records of this Actor sealed before commitments (qtm.record/v1) that still hold its values: sealed bytes never change',
    }),
  })
  .openapi('ActorErased');

export function privacyRoutes(api: ApiRoutes, deps: ApiDeps): void {
  api.add({
    method: 'post',
    path: '/v1/actors/:actorId/erasure',
    operationId: 'eraseActor',
    tag: 'Privacy',
    summary: 'Erase an Actor’s personal data',
    description:
      'Forgets the Actor’s personal values everywhere the system holds them (the vault, evidence files of its intakes); answers then show those fields as null with `erasedAt`. ' +
      'Every Record, proof, checkpoint and Signal still verifies: they hold only commitments. Each of its intakes’ audit trails records who erased, when and why, and an `actor.erased` webhook event goes out. ' +
      'Idempotent: a repeat answers the same `erasedAt` and erases nothing more (unless new data arrived since). What it cannot reach: copies already delivered to webhook subscribers or disclosed to third parties.',
    auth: ['admin'],
    params: actorParams,
    body: erasureSchema,
    responses: { 202: { description: 'Erased', schema: erasureResultSchema } },
    handler: async ({ params, body, principal }) => {
      const erased = await deps.vault.erase({
        actorId: params.actorId,
        reason: body.reason,
        ...(body.reference ? { reference: body.reference } : {}),
        by: acting(principal!),
        at: new Date().toISOString(),
      });
      return { status: 202, body: mustExist(erased, 'actor') };
    },
  });
}
