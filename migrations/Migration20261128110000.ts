import { Migration } from '@mikro-orm/migrations';

export class Migration20261128110000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "custom_model" ("id" serial primary key, "tenant_id" int not null, "name" varchar(64) not null, "base_models" text[] not null, "weights" double precision[] not null, "time_decay_half_life_days" double precision null, "revision" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint custom_model_weights_match_models check (cardinality(base_models) > 0 and cardinality(base_models) = cardinality(weights)));`);
    this.addSql(`alter table "custom_model" add constraint "custom_model_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`alter table "custom_model" add constraint "custom_model_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "prediction" add column "tenant_id" int null, add column "custom_model_id" int null;`);
    this.addSql(`alter table "prediction" add constraint "prediction_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "prediction" add constraint "prediction_custom_model_id_foreign" foreign key ("custom_model_id") references "custom_model" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "prediction_custom_model_id_index" on "prediction" ("custom_model_id");`);
    this.addSql(`alter table "prediction" add constraint prediction_custom_model_has_tenant check((tenant_id is null) = (custom_model_id is null));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "prediction" drop constraint "prediction_custom_model_id_foreign";`);

    this.addSql(`drop table if exists "custom_model" cascade;`);

    this.addSql(`alter table "prediction" drop constraint "prediction_tenant_id_foreign";`);

    this.addSql(`drop index "prediction_custom_model_id_index";`);
    this.addSql(`alter table "prediction" drop constraint prediction_custom_model_has_tenant;`);
    this.addSql(`alter table "prediction" drop column "tenant_id", drop column "custom_model_id";`);
  }

}
