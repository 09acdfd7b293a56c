import type { ByIdLoader } from '../db/relation-batch';

/** Loads a row that a foreign key guarantees exists; a miss means the data is corrupt. */
export async function loadRequired<V>(loader: ByIdLoader<V>, id: number, what: string): Promise<V> {
  const row = await loader.load(id);
  if (!row) throw new Error(`${what} ${id} is missing although referenced`);
  return row;
}
