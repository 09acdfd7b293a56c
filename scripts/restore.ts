// npm run restore -- <file> --target DATABASE [--clean] [--database-url URL] [--pg-bin-dir DIR]
import { parseArgs } from 'node:util';
import { restoreDatabase } from '../src/db/backup';
import { maskPassword, withDatabaseName } from '../src/db/database-url';
import { withDatabase } from './script-database';

const usage =
  'usage: npm run restore -- <file> --target DATABASE [--clean] [--database-url postgres://…] [--pg-bin-dir DIR]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      target: { type: 'string' },
      clean: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      'pg-bin-dir': { type: 'string' },
    },
    allowPositionals: true,
  });
  const [file] = positionals;
  const target = values.target;
  if (!file || !target || positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const restore = async (serverUrl: string) => {
    console.error(`restoring ${file} into ${maskPassword(withDatabaseName(serverUrl, target))} …`);
    const result = await restoreDatabase({
      serverUrl,
      database: target,
      file,
      clean: values.clean,
      pgBinDir: values['pg-bin-dir'],
    });
    console.log(
      `restored into database "${result.database}"${result.created ? ' (created)' : ''} with ${result.pgRestore}; ` +
        'run `npm run migrate` against it if this code is newer than the backup',
    );
    return 0;
  };
  const url = values['database-url'];
  return url ? restore(url) : withDatabase(restore);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
