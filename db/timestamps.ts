/** Postgres timestamps (Date from pg, or text) as the ISO-8601 UTC strings every view and document uses. */
export const isoOf = (value: Date | string): string => new Date(value).toISOString();

export const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : isoOf(value);
