import { lexicographicSortSchema, printSchema } from 'graphql';
import { createBareSchema } from './schema';

/** The SDL committed as schema.graphql: sorted, so diffs show only real changes. */
export async function schemaSdl(): Promise<string> {
  const header = '# Generated from the code by `npm run schema:emit`; do not edit.\n\n';
  return header + printSchema(lexicographicSortSchema(await createBareSchema())) + '\n';
}
