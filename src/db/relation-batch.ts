import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { observed, type BatchObserver } from './batch';
import { selectPrepared } from './prepared';

/**
 * A to-many relation read as JSON: `sql` selects `key` (the parent's id) and `value` (JSON) for
 * the parents whose ids are the array in its one `?` (`= any(?::bigint[])`: an id past the int
 * range, from a client, then finds nothing). `name` must be a constant identifier.
 */
export interface JsonRelation {
  name: string;
  sql: string;
  /** Values for the `?`s after the first, in order (a tenant, say): never inlined in `sql`. */
  params?: readonly unknown[];
  /**
   * Other relations whose value for the same parent contains this one's: when the batch reads one
   * of them anyway, this value is picked from it rather than read again (a match's latest
   * prediction from its list of predictions).
   */
  derivedFrom?: { relation: JsonRelation; pick: (value: unknown) => unknown }[];
}

interface RelationKey {
  relation: JsonRelation;
  id: number;
}

/**
 * Per request: every relation asked for in one tick (a match's odds, events and predictions, say)
 * is read in one statement, a UNION ALL of one branch per relation, instead of one each. A
 * statement is a round trip and socket writes on both sides: for small answers they dominate.
 */
export function createRelationBatch(em: EntityManager, observe?: BatchObserver) {
  const loader = new DataLoader<RelationKey, unknown, string>(
    observed({ name: 'relations', observe }, async (keys) => {
      const asked = new Set(keys.map(({ relation, id }) => `${relation.name}:${id}`));
      const derived = new Map<string, { source: string; pick: (value: unknown) => unknown }>();
      const relations = new Map<string, { relation: JsonRelation; ids: number[] }>();
      for (const { relation, id } of keys) {
        const source = relation.derivedFrom?.find((from) => asked.has(`${from.relation.name}:${id}`));
        if (source) {
          derived.set(`${relation.name}:${id}`, { source: `${source.relation.name}:${id}`, pick: source.pick });
          continue;
        }
        const entry = relations.get(relation.name) ?? { relation, ids: [] };
        entry.ids.push(id);
        relations.set(relation.name, entry);
      }
      // In name order, branches told apart by their index and values passed as parameters: the
      // same relations make the same text (for every tenant), so one prepared statement.
      const branches = [...relations.values()].sort((a, b) => (a.relation.name < b.relation.name ? -1 : 1));
      const params: unknown[] = [];
      const sql = branches
        .map(({ relation, ids }, index) => {
          const values = [ids, ...(relation.params ?? [])];
          const branch = relation.sql.replace(/\?/g, () => `$${params.push(values.shift())}`);
          return `select ${index} as branch, key, value from (${branch}) as branch`;
        })
        .join(' union all ');
      const rows = await selectPrepared<{ branch: number; key: number; value: unknown }>(em, sql, params);
      const values = new Map(rows.map((row) => [`${branches[row.branch]!.relation.name}:${row.key}`, row.value]));
      for (const [key, { source, pick }] of derived) values.set(key, pick(values.get(source) ?? null));
      return keys.map(({ relation, id }) => values.get(`${relation.name}:${id}`) ?? null);
    }),
    { cacheKeyFn: ({ relation, id }) => `${relation.name}:${id}` },
  );
  return {
    /** The relation's JSON value for one parent; null when the parent has none. */
    load: <T>(relation: JsonRelation, id: number) => loader.load({ relation, id }) as Promise<T | null>,
  };
}

export type RelationBatch = ReturnType<typeof createRelationBatch>;

/** What reads one row by id: a DataLoader, or a `rowsById` of the relation batch. */
export interface ByIdLoader<V> {
  load(id: number): Promise<V | null>;
}

/**
 * Rows by id through the relation batch (`relation` selects `key` = id and `value` = the row as
 * JSON), so a match's team and season come in the statement that reads its events, odds and
 * predictions. One view per id and request, like a DataLoader's cache.
 */
export function rowsById<Row, V>(
  relations: RelationBatch,
  relation: JsonRelation,
  toView: (row: Row) => V,
): ByIdLoader<V> {
  const views = new Map<number, Promise<V | null>>();
  return {
    load(id) {
      let view = views.get(id);
      if (!view) {
        view = relations.load<Row>(relation, id).then((row) => (row === null ? null : toView(row)));
        views.set(id, view);
      }
      return view;
    },
  };
}
