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
import { Role } from '../tenants/role';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../tenants/user.entity';
import { scheduleDemoFixtures } from './fixtures';

export interface DemoSeed {
  tenantSlug: string;
  /** Plain API key of the demo ADMIN (DEMO_API_KEY, or generated at this start). */
  apiKey: string;
}

const GENERATED_KEY_NAME = 'demo (generated at start)';

/** Demo tenant with an ADMIN key, demo data in an empty database, upcoming demo fixtures. */
export async function seedDemo(deps: AppDependencies): Promise<DemoSeed> {
  const apiKey = await deps.orm.em
    .fork()
    .transactional((em) => ensureDemoTenant(em as EntityManager, deps.config.demoApiKey));
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
  return { tenantSlug: 'demo', apiKey };
}

async function ensureDemoTenant(em: EntityManager, configuredKey: string | undefined): Promise<string> {
  const tenant = (await em.findOne(Tenant, { slug: 'demo' })) ?? em.create(Tenant, { slug: 'demo', name: 'Demo' });
  const user =
    (await em.findOne(User, { email: 'demo@matchcast.local' })) ??
    em.create(User, { email: 'demo@matchcast.local', name: 'Demo Admin' });
  const membership =
    (await em.findOne(Membership, { tenant, user })) ?? em.create(Membership, { tenant, user, role: Role.ADMIN });
  // Only the key of this start works: earlier generated or configured demo keys are revoked.
  const plainKey = configuredKey ?? generateApiKey();
  const hash = hashApiKey(plainKey);
  if (membership.id) {
    await em.nativeUpdate(ApiKey, { membership, revokedAt: null, hash: { $ne: hash } }, { revokedAt: new Date() });
  }
  const existing = await em.findOne(ApiKey, { hash });
  if (existing) existing.revokedAt = null;
  else issueApiKey(em, membership, configuredKey ? 'demo (DEMO_API_KEY)' : GENERATED_KEY_NAME, plainKey);
  return plainKey;
}
