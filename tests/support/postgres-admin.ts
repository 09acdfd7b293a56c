import { Client } from 'pg';

/** A client on the server's maintenance database, for creating and dropping databases. */
export async function createAdminClient(serverUrl: string): Promise<Client> {
  const client = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await client.connect();
  return client;
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
