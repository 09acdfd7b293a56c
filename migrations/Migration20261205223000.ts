import { Migration } from '@mikro-orm/migrations';

// Tenant-private tables and the row test of each: `tenant_id` unless said otherwise.
const TABLES: Record<string, string> = {
  tenant: 'matchcast_visible(id)',
  membership: 'matchcast_visible(tenant_id)',
  api_key: 'exists (select 1 from membership m where m.id = api_key.membership_id)',
  audit_log: 'matchcast_visible(tenant_id)',
  tenant_usage: 'matchcast_visible(tenant_id)',
  watchlist_item: 'matchcast_visible(tenant_id)',
  alert_rule: 'matchcast_visible(tenant_id)',
  alert_event: 'matchcast_visible(tenant_id)',
  custom_model: 'matchcast_visible(tenant_id)',
  // The platform's predictions (no tenant) are everyone's; custom models' are their tenant's.
  prediction: 'tenant_id is null or matchcast_visible(tenant_id)',
};

/**
 * Row-level security as a second isolation layer: tenant-scoped work runs as `matchcast_app`
 * (no BYPASSRLS, owns nothing) with `matchcast.tenant_id` set for its transaction
 * (src/db/tenant-scope.ts), and these policies then refuse other tenants' rows even when a
 * statement forgets its `tenant_id` condition. The role is cluster-wide, so it is made only if
 * missing.
 */
export class Migration20261205223000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select from pg_roles where rolname = 'matchcast_app') then
        create role matchcast_app nologin nosuperuser nobypassrls;
      end if;
    end $$;`);
    // The login role must be able to take it on (superusers can already).
    this.addSql(`do $$ begin
      execute format('grant matchcast_app to %I', current_user);
    exception when others then raise notice 'could not grant matchcast_app to %: %', current_user, sqlerrm;
    end $$;`);
    this.addSql(`grant usage on schema public to matchcast_app;`);
    this.addSql(`grant select, insert, update, delete on all tables in schema public to matchcast_app;`);
    this.addSql(`grant usage, select on all sequences in schema public to matchcast_app;`);
    this.addSql(
      `alter default privileges in schema public grant select, insert, update, delete on tables to matchcast_app;`,
    );
    this.addSql(`alter default privileges in schema public grant usage, select on sequences to matchcast_app;`);
    this.addSql(`create or replace function matchcast_visible(tenant integer) returns boolean
      language sql stable as
      $$ select tenant = nullif(current_setting('matchcast.tenant_id', true), '')::integer $$;`);
    for (const [table, visible] of Object.entries(TABLES)) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`create policy tenant_isolation on "${table}" using (${visible}) with check (${visible});`);
    }
  }

  override async down(): Promise<void> {
    for (const table of Object.keys(TABLES)) {
      this.addSql(`drop policy if exists tenant_isolation on "${table}";`);
      this.addSql(`alter table "${table}" disable row level security;`);
    }
    this.addSql(`drop function if exists matchcast_visible(integer);`);
    this.addSql(
      `alter default privileges in schema public revoke select, insert, update, delete on tables from matchcast_app;`,
    );
    this.addSql(`alter default privileges in schema public revoke usage, select on sequences from matchcast_app;`);
    this.addSql(`revoke all on all tables in schema public from matchcast_app;`);
    this.addSql(`revoke all on all sequences in schema public from matchcast_app;`);
    this.addSql(`revoke usage on schema public from matchcast_app;`);
  }
}
