/** Principals and request bodies for tests. */
import { randomUUID } from 'node:crypto';
import type { Principal, SubmitRequestBody } from '../../domain/schemas';

export const requester = (sub = `requester-${randomUUID().slice(0, 8)}`): Principal => ({ sub, role: 'requester' });
export const admin = (sub = `admin-${randomUUID().slice(0, 8)}`): Principal => ({ sub, role: 'admin' });
export const operator = (operatorId: string, sub = `${operatorId}-staff-${randomUUID().slice(0, 6)}`): Principal => ({
  sub,
  role: 'operator',
  operatorId,
});

export const newOperatorId = () => `op-${randomUUID().slice(0, 8)}`;

export function requestBody(overrides: Partial<SubmitRequestBody> = {}): SubmitRequestBody {
  return {
    channel: 'web',
    actor: { kind: 'person', name: 'Ada Lovelace', contact: { email: 'ada@example.com' } },
    request: {
      category: 'plumbing',
      summary: 'Kitchen sink leaks under the cabinet',
      details: 'Water pools after every use; started two days ago.',
      location: { address: '12 Analytical Row, London' },
      preferredWindow: { start: '2026-12-01T09:00:00Z', end: '2026-12-01T12:00:00Z' },
    },
    ...overrides,
  };
}
