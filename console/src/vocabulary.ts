/** The console's one vocabulary for statuses, stages and phases (badges, rows, sentences). */

/** Every status, stage and phase the console shows, in the words it shows them (and nowhere else). */
export const VOCABULARY: Record<string, string> = {
  // Task
  pending: 'awaiting decision',
  approved: 'approved',
  job_created: 'job created',
  rejected: 'declined',
  withdrawn: 'withdrawn',
  // Job
  queued: 'waiting for the operator',
  claimed: 'claimed',
  in_progress: 'work under way',
  completed: 'done',
  failed: 'could not be done',
  // Intake phases beyond those
  governance: 'being reviewed',
  executing: 'work under way',
  sealing: 'done, being sealed',
  sealed: 'done and sealed',
};

/** The ServiceEvent's stages, which a Job "under way" moves through. */
export const STAGE_WORDS: Record<string, string> = {
  started: 'started',
  en_route: 'on the way',
  on_site: 'on site',
  in_progress: 'working on it',
  wrapping_up: 'finishing up',
};

export const say = (value: string) => VOCABULARY[value] ?? value.replace(/_/g, ' ');
export const stageSay = (stage: string | null | undefined) => STAGE_WORDS[stage ?? 'started'] ?? stage ?? 'started';
export const categorySay = (category: unknown) => String(category ?? 'other').replace(/_/g, ' ');
