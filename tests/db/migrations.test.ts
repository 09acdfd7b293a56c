import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createOrm, type Orm } from '../../src/db/orm';
import { createAdminClient, databaseUrlFor } from '../support/postgres-admin';
import { unique } from '../support/factories';
import { populate } from '../support/populate';

let orm: Orm;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: inject('databaseUrl') });
});

afterAll(() => orm.close());

describe('migrations', () => {
  it('create exactly the schema the entities describe (run `npm run migration:create` after changing one)', async () => {
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it('enforce constraints in the database, not only in code', async () => {
    const sql = (query: string) => orm.em.getConnection().execute(query);
    await expect(
      sql(`insert into competition (code, name, country) values ('dup-check', 'a', 'b'), ('dup-check', 'c', 'd')`),
    ).rejects.toThrow(/competition_code_unique/);
    await expect(
      sql(`insert into match (season_id, home_team_id, away_team_id, kickoff, created_at, updated_at)
      values (987654321, 1, 2, now(), now(), now())`),
    ).rejects.toThrow(/foreign key|match_/);
    const [{ id: teamId }] = await sql(
      `insert into team (name, short_name) values ('Check ' || gen_random_uuid(), 'C') returning id`,
    );
    await expect(
      sql(`insert into prediction (match_id, model_name, model_version, home_win, draw, away_win,
      expected_home_goals, expected_away_goals, created_at) values (${teamId}, 'x', '1', 0.5, 0.5, 0.5, 1, 1, now())`),
    ).rejects.toThrow(/prediction_probabilities_valid|foreign key/);
  });

  it('take API key scopes up and down again (Migration20261127090000)', async () => {
    const database = `matchcast_migrations_${unique()}`;
    const admin = await createAdminClient(inject('databaseUrl'));
    await admin.query(`create database "${database}"`);
    const scratch = await createOrm({ databaseUrl: databaseUrlFor(inject('databaseUrl'), database) });
    const scopesColumn = async () =>
      (
        await scratch.em
          .getConnection()
          .execute(`select 1 from information_schema.columns where table_name = 'api_key' and column_name = 'scopes'`)
      ).length;
    try {
      const migrator = scratch.getMigrator();
      await migrator.up({ to: 'Migration20261127090000' });
      expect(await scopesColumn()).toBe(1);
      await expect(
        scratch.em.getConnection().execute(`insert into api_key (membership_id, name, prefix, hash, scopes, created_at)
          values (1, 'k', 'p', 'h', array['ROOT'], now())`),
      ).rejects.toThrow(/api_key_scopes_valid/);
      await migrator.down();
      expect(await scopesColumn()).toBe(0);
      await migrator.up({ to: 'Migration20261127090000' });
      expect(await scopesColumn()).toBe(1);
    } finally {
      await scratch.close();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
    }
  });

  it('go down and up again on a populated database, ending with the schema the entities describe', async () => {
    const database = `matchcast_roundtrip_${unique()}`;
    const admin = await createAdminClient(inject('databaseUrl'));
    await admin.query(`create database "${database}"`);
    const scratch = await createOrm({ databaseUrl: databaseUrlFor(inject('databaseUrl'), database) });
    const sql = (query: string) => scratch.em.getConnection().execute(query);
    const publicObjects = async () =>
      (
        await sql(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'S', 'v') and c.relname not like 'mikro_orm_migrations%'
          union all select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'`)
      ).map((row) => String(row.name));
    try {
      const migrator = scratch.getMigrator();
      const all = (await migrator.getPendingMigrations()).map((m) => m.name);
      await migrator.up();
      await populate(scratch);
      const [{ matches }] = await sql('select count(*)::int as matches from match');
      expect(matches).toBeGreaterThan(0);

      // Undoing every later migration keeps the rows of the tables the first one made.
      await migrator.down({ to: all[1]! }); // inclusive: reverts the second and every later one
      expect((await migrator.getExecutedMigrations()).map((m) => m.name)).toEqual([all[0]]);
      expect((await sql('select count(*)::int as n from match'))[0].n).toBe(matches);
      await migrator.up();
      expect((await sql('select count(*)::int as n from match'))[0].n).toBe(matches);
      expect(
        (await sql(`select count(*)::int as n from tenant where plan_id = default_plan_id()`))[0].n,
      ).toBeGreaterThan(0);

      await migrator.down({ to: 0 });
      expect(await publicObjects()).toEqual([]);
      expect(await migrator.getExecutedMigrations()).toEqual([]);
      await migrator.up();
      expect((await migrator.getExecutedMigrations()).map((m) => m.name)).toEqual(all);
      expect((await scratch.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    } finally {
      await scratch.close();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
    }
  }, 120_000);
});
