import { Field, InputType } from 'type-graphql';
import { Role } from './role';
import { Scope } from './scope';

// Lengths and formats are checked by the service (tenant.checks.ts), shared with the command line.

@InputType()
export class InviteMemberInput {
  @Field(() => String, { description: 'Lower-cased; the user is created if new.' })
  email!: string;

  @Field(() => String, { description: 'Display name of a new user (an existing user keeps theirs).' })
  name!: string;

  @Field(() => Role)
  role!: Role;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: 'What the key is for, e.g. `ingest-feed`.' })
  name!: string;

  @Field(() => Date, { nullable: true, description: 'The key stops working then; never by default.' })
  expiresAt?: Date;

  @Field(() => [Scope], { nullable: true, description: 'Only scopes the calling key holds; none by default.' })
  scopes?: Scope[];
}

@InputType()
export class CreateTenantInput {
  @Field(() => String, { description: 'Lower-case letters, digits and inner hyphens, e.g. `acme`.' })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first OWNER (an existing user with that email, or a new one).' })
  ownerEmail!: string;

  @Field(() => String)
  ownerName!: string;
}

@InputType()
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: 'e.g. `api_key.create`.' })
  action?: string;

  @Field(() => Date, { nullable: true, description: 'Rows at or after this instant.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Rows before this instant.' })
  to?: Date;
}
