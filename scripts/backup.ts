// npm run backup -- [file] [--database-url URL] [--pg-bin-dir DIR]
import { parseArgs } from 'node:util';
import { backupDatabase, defaultBackupFile } from '../src/db/backup';
import { maskPassword } from '../src/db/database-url';
import { withDatabase } from './script-database';

const usage = 'usage: npm run backup -- [file] [--database-url postgres://…] [--pg-bin-dir DIR]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { 'database-url': { type: 'string' }, 'pg-bin-dir': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const backup = async (databaseUrl: string) => {
    const file = positionals[0] ?? defaultBackupFile(databaseUrl);
    console.error(`backing up ${maskPassword(databaseUrl)} …`);
    const result = await backupDatabase({ databaseUrl, file, pgBinDir: values['pg-bin-dir'] });
    console.log(`wrote ${result.file} (${result.bytes} bytes, ${result.pgDump})`);
    return 0;
  };
  const url = values['database-url'];
  return url ? backup(url) : withDatabase(backup);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
