/**
 * The intake workflow as a bad deploy would ship it: its code throws before it does anything, so
 * every workflow task fails (the workflow itself does not) and the server retries it for ever.
 */
export async function intakeWorkflow(): Promise<never> {
  throw new Error('a bad build: this workflow code cannot run');
}
