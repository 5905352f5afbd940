/**
 * The operator registry (migration 011): who may be addressed at submission and assigned work.
 * Listed in id order with a cursor of its own (the id itself), since ids are slugs, not UUIDs.
 */
import type { Knex } from 'knex';
import type { Category } from '../domain/schemas';
import { isoOf } from './timestamps';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface OperatorView {
  id: string;
  displayName: string;
  categories: Category[];
  createdAt: string;
  updatedAt: string;
}

export interface OperatorInput {
  displayName: string;
  categories: Category[];
}

const view = (r: Row): OperatorView => ({
  id: r.id,
  displayName: r.display_name,
  categories: r.categories,
  createdAt: isoOf(r.created_at),
  updatedAt: isoOf(r.updated_at),
});

const OPERATOR_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const encodeOperatorCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** The id a cursor names, or null unless it is one this API could have issued. */
export function decodeOperatorCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return OPERATOR_ID.test(id) && encodeOperatorCursor(id) === cursor ? id : null;
}

export function createOperatorStore(db: Knex) {
  return {
    /** Registers the operator, or updates its name and work; answers it and whether it is new. */
    async put(id: string, input: OperatorInput, by: string): Promise<{ operator: OperatorView; created: boolean }> {
      const now = new Date();
      const [row]: Row[] = await db('operators')
        .insert({
          id,
          display_name: input.displayName,
          categories: input.categories,
          registered_by_sub: by,
          created_at: now,
          updated_at: now,
        })
        .onConflict('id')
        .merge({ display_name: input.displayName, categories: input.categories, updated_at: now })
        // xmax is 0 on a row this statement inserted, and set on one it updated.
        .returning(['*', db.raw('(xmax = 0) AS created')]);
      return { operator: view(row!), created: row!.created === true };
    },

    /** Registers those not registered yet, leaving the others as an admin left them. */
    async addMissing(operators: ReadonlyArray<{ id: string } & OperatorInput>, by: string): Promise<void> {
      if (operators.length === 0) return;
      const now = new Date();
      await db('operators')
        .insert(
          operators.map((o) => ({
            id: o.id,
            display_name: o.displayName,
            categories: o.categories,
            registered_by_sub: by,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict('id')
        .ignore();
    },

    async get(id: string): Promise<OperatorView | null> {
      const row = await db('operators').where({ id }).first();
      return row ? view(row) : null;
    },

    /** Which of these ids are not registered (empty when all are). */
    async unknown(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const known = new Set((await db('operators').whereIn('id', ids).select('id')).map((r) => r.id as string));
      return ids.filter((id) => !known.has(id));
    },

    async list(filter: { category?: Category }, req: { limit: number; cursor?: string }) {
      const query = db('operators').select('*');
      if (filter.category) query.whereRaw('? = ANY (categories)', [filter.category]);
      if (req.cursor) query.where('id', '>', decodeOperatorCursor(req.cursor)!);
      const rows: Row[] = await query.orderBy('id').limit(req.limit + 1);
      const items = rows.slice(0, req.limit).map(view);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > req.limit && last ? encodeOperatorCursor(last.id) : null };
    },
  };
}

export type OperatorStore = ReturnType<typeof createOperatorStore>;
