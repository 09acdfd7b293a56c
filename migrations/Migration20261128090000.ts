import { Migration } from '@mikro-orm/migrations';

export class Migration20261128090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "plan" ("id" serial primary key, "name" varchar(32) not null, "requests_per_minute" int not null, "query_cost_per_minute" int not null, "max_subscriptions" int not null, "max_sockets_per_key" int not null, "max_custom_models" int not null, "max_alert_rules" int not null, "is_default" boolean not null default false, "created_at" timestamptz not null, constraint plan_limits_positive check (requests_per_minute > 0 and query_cost_per_minute > 0 and max_subscriptions >= 0 and max_sockets_per_key > 0 and max_custom_models >= 0 and max_alert_rules >= 0));`);
    this.addSql(`alter table "plan" add constraint "plan_name_unique" unique ("name");`);
    this.addSql(`create unique index "plan_single_default" on "plan" ("is_default") where "is_default";`);

    // New tenants get `standard`: roomy enough for a real integration, tests and the explorer.
    this.addSql(`insert into "plan" ("name", "requests_per_minute", "query_cost_per_minute", "max_subscriptions", "max_sockets_per_key", "max_custom_models", "max_alert_rules", "is_default", "created_at") values
      ('free', 60, 60000, 10, 2, 1, 5, false, now()),
      ('standard', 6000, 6000000, 2000, 50, 5, 50, true, now()),
      ('pro', 30000, 30000000, 10000, 200, 25, 500, false, now()),
      ('enterprise', 1000000, 1000000000, 100000, 1000, 100, 5000, false, now());`);

    // A column default cannot be a subquery; a function can, so the default plan stays data.
    this.addSql(`create function default_plan_id() returns int language sql stable as $$ select id from plan where is_default $$;`);
    this.addSql(`alter table "tenant" add column "plan_id" int not null default default_plan_id();`);
    this.addSql(`alter table "tenant" add constraint "tenant_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`);

    this.addSql(`create table "tenant_usage" ("tenant_id" int not null, "day" date not null, "operation_type" text check ("operation_type" in ('QUERY', 'MUTATION', 'SUBSCRIPTION')) not null, "operations" bigint not null default 0, "cost" bigint not null default 0, "rate_limited" bigint not null default 0, constraint "tenant_usage_pkey" primary key ("tenant_id", "day", "operation_type"), constraint tenant_usage_counts_non_negative check (operations >= 0 and cost >= 0 and rate_limited >= 0));`);
    this.addSql(`alter table "tenant_usage" add constraint "tenant_usage_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tenant_usage" cascade;`);
    this.addSql(`alter table "tenant" drop constraint "tenant_plan_id_foreign";`);
    this.addSql(`alter table "tenant" drop column "plan_id";`);
    this.addSql(`drop function default_plan_id();`);
    this.addSql(`drop table if exists "plan" cascade;`);
  }

}
