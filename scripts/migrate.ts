import { createOrm, migrate } from '../src/db/orm';
import { withDatabase } from './script-database';

withDatabase(async (url) => {
  const orm = await createOrm({ databaseUrl: url });
  try {
    const applied = await migrate(orm);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await orm.close();
  }
}).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
