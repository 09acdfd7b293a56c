import { randomBytes } from 'node:crypto';
import { getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { createArmor } from '../../src/http/armor';
import { operationCost } from '../../src/quotas/operation-cost';
import { createBareSchema } from '../../src/schema';
import type { Orm } from '../../src/db/orm';
import type { Role } from '../../src/tenants/role';
import type { Scope } from '../../src/tenants/scope';
import { createMember, type Member } from '../support/factories';

export interface PlanLimits {
  requestsPerMinute: number;
  queryCostPerMinute: number;
  maxSubscriptions: number;
  maxSocketsPerKey: number;
}

const ROOMY: PlanLimits = {
  requestsPerMinute: 10_000,
  queryCostPerMinute: 10_000_000,
  maxSubscriptions: 1000,
  maxSocketsPerKey: 100,
};

/** A plan made for one test (`tiny-…`), roomy except for the limits given. */
export async function createPlan(orm: Orm, limits: Partial<PlanLimits>): Promise<string> {
  const plan = { ...ROOMY, ...limits };
  const name = `tiny-${randomBytes(4).toString('hex')}`;
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into plan (name, requests_per_minute, query_cost_per_minute, max_subscriptions, max_sockets_per_key,
         max_custom_models, max_alert_rules, created_at) values (?, ?, ?, ?, ?, 1, 1, now())`,
      [name, plan.requestsPerMinute, plan.queryCostPerMinute, plan.maxSubscriptions, plan.maxSocketsPerKey],
    );
  return name;
}

/** A member of a new tenant on a plan of its own with these limits (set before its first request). */
export async function memberOnPlan(
  orm: Orm,
  role: Role,
  limits: Partial<PlanLimits>,
  scopes?: Scope[],
): Promise<Member & { plan: string }> {
  const plan = await createPlan(orm, limits);
  const member = await createMember(orm, role, { scopes });
  await orm.em
    .fork()
    .getConnection()
    .execute('update tenant set plan_id = (select id from plan where name = ?) where id = ?', [plan, member.tenantId]);
  return { ...member, plan };
}

export interface RawResponse {
  status: number;
  retryAfter: string | null;
  requestId: string | null;
  body: {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string; retryAfter?: number; limit?: number } }[];
  };
}

/** POSTs an operation and keeps what GraphqlClient hides: the status, `Retry-After` and the request id. */
export async function post(url: string, apiKey: string, query: string, variables?: unknown): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as RawResponse['body'],
  };
}

/** The cost graphql-armor gives an operation, as the server estimates it during validation. */
export async function costOf(query: string): Promise<number> {
  const document = parse(query);
  const errors = validate(await createBareSchema(), document, [...specifiedRules, ...createArmor().validationRules]);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  return operationCost(getOperationAST(document)!);
}
