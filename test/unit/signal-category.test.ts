/** Public Signals state the kind of work in the fixed vocabulary only (trust/signal.ts). */
import { CATEGORIES } from '../../domain/schemas';
import { buildSignal, type SignalFacts } from '../../trust/signal';

const facts = (category: string): SignalFacts => ({
  signalId: '00000000-0000-4000-8000-000000000001',
  issuer: 'did:web:qtm.local',
  operatorId: 'op-northside',
  sealedAt: '2026-11-26T10:00:00.000Z',
  category,
  completedAt: '2026-11-26T09:59:00.000Z',
  intakeId: '00000000-0000-4000-8000-000000000002',
  jobId: '00000000-0000-4000-8000-000000000003',
  serviceEventId: '00000000-0000-4000-8000-000000000004',
  recordId: '00000000-0000-4000-8000-000000000005',
  recordHash: 'a'.repeat(64),
  recordSequence: 7,
});

test('a category of the vocabulary is stated as it is', () => {
  for (const category of CATEGORIES) {
    const { attribution } = buildSignal(facts(category)).credentialSubject;
    expect(attribution.category).toBe(category);
    expect(attribution.statement).toContain(` ${category} `);
  }
});

test('free text from before the vocabulary (an Intake still in flight) is stated as `other`, never as typed', () => {
  const typed = 'Sink at 12 Analytical Row, ask for Ada';
  const document = buildSignal(facts(typed));
  expect(document.credentialSubject.attribution.category).toBe('other');
  expect(JSON.stringify(document)).not.toContain('Analytical');
});
