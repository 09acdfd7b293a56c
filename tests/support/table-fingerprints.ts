import { Client } from 'pg';

export interface Fingerprints {
  /** Row count and md5 of the rows' text, ordered by primary key. */
  tables: Record<string, { rows: number; md5: string }>;
  /** `last_value`, so restored ids continue where the original's did (null: never used). */
  sequences: Record<string, string | null>;
}

/** Every table and sequence of the public schema, fingerprinted so two databases can be compared. */
export async function tableFingerprints(databaseUrl: string): Promise<Fingerprints> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const fingerprints: Fingerprints = { tables: {}, sequences: {} };
    const tables = await client.query<{ name: string; key: string | null }>(
      `select c.relname as name,
        (select string_agg(quote_ident(a.attname), ', ' order by array_position(i.indkey::int2[], a.attnum))
         from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = c.oid and i.indisprimary) as key
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by c.relname`,
    );
    for (const { name, key } of tables.rows) {
      const { rows } = await client.query<{ rows: number; md5: string }>(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by ${key ?? 't::text'}), '')) as md5
         from public.${quoteIdent(name)} t`,
      );
      fingerprints.tables[name] = rows[0]!;
    }
    const sequences = await client.query<{ name: string; last: string | null }>(
      `select sequencename as name, last_value::text as last from pg_sequences where schemaname = 'public'`,
    );
    for (const { name, last } of sequences.rows) fingerprints.sequences[name] = last;
    return fingerprints;
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
