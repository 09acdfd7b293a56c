import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node';
import { Role } from './role';
import { Scope } from './scope';
import { Credential } from './credential';

// GraphQL types of tenancy. They are not the entities: reads build them from plain rows that
// were selected with the caller's tenant condition (tenant.service.ts), writes use the entities.
// Every type here is private to a tenant: none may be listed in src/auth/shared-data.ts.

@ObjectType('User', {
  implements: Node,
  simpleResolvers: true,
  description:
    "A person as your tenant knows them: the name your tenant gave, and an ID of your tenant's own. Nothing of another tenant the person belongs to shows here.",
})
export class UserType extends Node {
  static readonly graphqlName = 'User';

  /** The membership's database id: a User's global ID is per tenant. */
  id!: number;

  @Field(() => String, { description: 'Lower-cased.' })
  email!: string;

  @Field(() => String, { description: 'The name your tenant gave when it invited the person.' })
  name!: string;
}

@ObjectType('Member', { implements: Node, simpleResolvers: true, description: "A user's role in the tenant." })
export class Member extends Node {
  static readonly graphqlName = 'Member';

  /** Database id of the membership. */
  id!: number;

  /** Database id of the tenant (not in the schema). */
  tenantId!: number;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => Role)
  role!: Role;

  @Field(() => Date, { description: 'When the user joined the tenant.' })
  createdAt!: Date;
}

@ObjectType('ApiKey', {
  implements: Node,
  simpleResolvers: true,
  description: 'An API key of a member. The secret is shown once, when the key is created; only its prefix is kept.',
})
export class ApiKeyType extends Node {
  static readonly graphqlName = 'ApiKey';

  /** Database id. */
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'First characters of the key, to tell keys apart.' })
  prefix!: string;

  @Field(() => [Scope], { description: 'Platform permissions beside the member role.' })
  scopes!: Scope[];

  @Field(() => Member, { description: 'Whom the key acts as.' })
  member!: Member;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the key last authenticated a request, to the hour.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType('AuditEntry', {
  simpleResolvers: true,
  description: 'A change made in the tenant, written in the same transaction as the change.',
})
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. `member.invite`, `api_key.revoke`, `match.create`.' })
  action!: string;

  @Field(() => String, { description: 'Type of the changed object, e.g. `Member`.' })
  targetType!: string;

  @Field(() => ID, { description: 'Global ID of the changed object (it may no longer exist).' })
  targetId!: string;

  @Field(() => UserType, {
    nullable: true,
    description: 'Who made the change; null when they are no longer a member, or for the command line.',
  })
  actor!: UserType | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('Tenant', { implements: Node, simpleResolvers: true, description: 'An organisation using Matchcast.' })
export class TenantType extends Node {
  static readonly graphqlName = 'Tenant';

  /** Database id. */
  id!: number;

  @Field(() => String, { description: 'Unique short name, e.g. `acme`.' })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('Viewer', { simpleResolvers: true, description: 'Who is calling: the member behind the API key.' })
export class Viewer {
  @Field(() => UserType)
  user!: UserType;

  @Field(() => TenantType)
  tenant!: TenantType;

  @Field(() => Member, { description: "The caller's membership of the tenant." })
  member!: Member;

  @Field(() => Role)
  role!: Role;

  @Field(() => [Scope], { description: "The API key's platform permissions (none for a JWT)." })
  scopes!: Scope[];

  @Field(() => Credential, { description: 'What this request was authenticated with.' })
  credential!: Credential;

  @Field(() => Date, {
    nullable: true,
    description: 'When the API key or token used stops being accepted (its open subscriptions end then); null: never.',
  })
  credentialExpiresAt!: Date | null;
}

export const MemberConnection = ConnectionType('Member', Member);
export const ApiKeyConnection = ConnectionType('ApiKey', ApiKeyType);
export const AuditEntryConnection = ConnectionType('AuditEntry', AuditEntry);

@ObjectType({ simpleResolvers: true })
export class CreateApiKeyPayload {
  @Field(() => ApiKeyType)
  apiKey!: ApiKeyType;

  @Field(() => String, { description: 'The whole key. Shown this once: store it now, it cannot be read again.' })
  secret!: string;
}

@ObjectType({ simpleResolvers: true })
export class RemoveMemberPayload {
  @Field(() => ID, { description: 'Global ID of the removed member.' })
  removedMemberId!: string;

  @Field(() => Int, { description: "How many of the member's keys were revoked with the membership." })
  revokedApiKeys!: number;
}

@ObjectType({ simpleResolvers: true })
export class CreateTenantPayload {
  @Field(() => TenantType)
  tenant!: TenantType;

  @Field(() => Member, { description: 'The first OWNER.' })
  owner!: Member;

  @Field(() => String, {
    description: "The owner's first API key. Shown this once: hand it to the owner, it cannot be read again.",
  })
  secret!: string;
}
