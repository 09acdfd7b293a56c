import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateApiKey, hashApiKey } from '../auth/api-key';
import type { AppDependencies } from '../context';
import { Match } from '../matches/match.entity';
import { PredictionService } from '../predictions/prediction.service';
import { collectCsvFiles, formatProgress, importFiles } from '../matches/import/import-files';
import { ApiKey } from '../tenants/api-key.entity';
import { issueApiKey } from '../tenants/api-key.service';
import { Membership } from '../tenants/membership.entity';
import { assignPlanBySlug } from '../tenants/plan.service';
import { Role } from '../tenants/role';
import { Scope } from '../tenants/scope';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../tenants/user.entity';
import { scheduleDemoFixtures } from './fixtures';

export interface DemoSeed {
  tenantSlug: string;
  /**
   * Plain API key of the demo tenant's OWNER, with the OPERATOR and INGEST scopes, so every
   * README example works with it (DEMO_API_KEY, or generated at this start).
   */
  apiKey: string;
  /** A second tenant with its own OWNER, to show in the explorer that tenants see only their own. */
  otherTenant: { tenantSlug: string; apiKey: string };
}

const GENERATED_KEY_NAME = 'demo (generated at start)';
const DEMO = { slug: 'demo', name: 'Demo', ownerEmail: 'demo@matchcast.local', ownerName: 'Demo Owner' };
const OTHER = { slug: 'demo-rival', name: 'Rival Demo', ownerEmail: 'rival@matchcast.local', ownerName: 'Rival Owner' };

/**
 * Demo tenant with an OWNER key carrying the platform scopes, a second tenant with its own
 * OWNER key, demo data in an empty database, upcoming demo fixtures.
 */
export async function seedDemo(deps: AppDependencies): Promise<DemoSeed> {
  const { apiKey, otherKey } = await deps.orm.em.fork().transactional(async (em) => ({
    apiKey: await ensureDemoTenant(em as EntityManager, DEMO, [Scope.OPERATOR, Scope.INGEST], deps.config.demoApiKey),
    otherKey: await ensureDemoTenant(em as EntityManager, OTHER, [], undefined),
  }));
  // The explorer, the README's examples and benchmarks with the demo key must not be throttled.
  await assignPlanBySlug(deps.orm.em.fork() as EntityManager, DEMO.slug, 'enterprise');
  const em = deps.orm.em.fork() as EntityManager;
  if ((await em.count(Match, {})) === 0) {
    const files = collectCsvFiles([path.resolve(deps.config.demoDataDir)]);
    deps.logger.info({ files: files.length }, 'empty database: importing demo data');
    await importFiles(deps.orm, files, (p) => deps.logger.info(formatProgress(p)));
  }
  const scheduled = await deps.orm.em
    .fork()
    .transactional((tx) => scheduleDemoFixtures(tx as EntityManager, new Date()));
  if (scheduled) deps.logger.info({ scheduled }, 'scheduled demo fixtures');
  const predicted = await new PredictionService({
    em: deps.orm.em.fork() as EntityManager,
    principal: null,
  }).refreshCompetition('premier-league');
  deps.logger.info(predicted, 'predicted upcoming demo fixtures');
  return { tenantSlug: DEMO.slug, apiKey, otherTenant: { tenantSlug: OTHER.slug, apiKey: otherKey } };
}

async function ensureDemoTenant(
  em: EntityManager,
  demo: typeof DEMO,
  scopes: Scope[],
  configuredKey: string | undefined,
): Promise<string> {
  const tenant =
    (await em.findOne(Tenant, { slug: demo.slug })) ?? em.create(Tenant, { slug: demo.slug, name: demo.name });
  const user =
    (await em.findOne(User, { email: demo.ownerEmail })) ??
    em.create(User, { email: demo.ownerEmail, name: demo.ownerName });
  const membership =
    (await em.findOne(Membership, { tenant, user })) ??
    em.create(Membership, { tenant, user, name: demo.ownerName, role: Role.OWNER });
  // Databases seeded before tenancy made the demo member an ADMIN.
  membership.role = Role.OWNER;
  // Only the key of this start works: earlier generated or configured demo keys are revoked.
  const plainKey = configuredKey ?? generateApiKey();
  const hash = hashApiKey(plainKey);
  if (membership.id) {
    await em.nativeUpdate(ApiKey, { membership, revokedAt: null, hash: { $ne: hash } }, { revokedAt: new Date() });
  }
  const existing = await em.findOne(ApiKey, { hash });
  if (existing) Object.assign(existing, { revokedAt: null, scopes });
  else issueApiKey(em, membership, configuredKey ? 'demo (DEMO_API_KEY)' : GENERATED_KEY_NAME, plainKey, { scopes });
  return plainKey;
}
