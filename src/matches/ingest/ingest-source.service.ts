import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Principal } from '../../auth/principal';
import { cacheKeys, type Cache } from '../../cache/cache';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { audit } from '../../tenants/audit';
import { selectRows } from '../../db/select';
import { IngestSource } from './ingest-source.entity';
import type { IngestSourceSecretPayload, IngestSourceType } from './ingest-source.types';
import { newSourceSecret } from './webhook-signature';

const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A source name: what events carry as their `source` (lower-case letters, digits, `.`, `_`, `-`). */
export function checkSourceName(name: string): string {
  if (!SOURCE_NAME.test(name)) {
    throw new BadUserInputError('name must be 1 to 64 lower-case letters, digits, ".", "_" or "-"', 'name');
  }
  return name;
}

/** Ingest sources and their secrets: operators' work (the permission layer checks the scope). */
export class IngestSourceService {
  constructor(private readonly deps: { em: EntityManager; principal: Principal | null; cache: Cache }) {}

  async list(): Promise<IngestSourceType[]> {
    const sources = await this.deps.em.fork().find(IngestSource, {}, { orderBy: { name: 'asc' } });
    return sources.map(viewOf);
  }

  async create(name: string): Promise<IngestSourceSecretPayload> {
    const secret = newSourceSecret();
    try {
      const source = await this.deps.em.fork().transactional(async (em) => {
        const created = em.create(IngestSource, { name: checkSourceName(name), secret });
        await em.flush();
        audit(em as EntityManager, this.deps.principal, 'ingest_source.create', { type: 'IngestSource', id: name });
        return created;
      });
      // After the commit: the name was maybe cached as unknown.
      await this.deps.cache.invalidate(cacheKeys.ingestSourceSecret(name));
      return { source: viewOf(source), secret };
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError(`Source "${name}" exists`);
      throw error;
    }
  }

  /** A new secret; the old one stops verifying at once. */
  async rotate(name: string): Promise<IngestSourceSecretPayload> {
    const secret = newSourceSecret();
    const source = await this.deps.em.fork().transactional(async (em) => {
      const found = await em.findOne(IngestSource, { name });
      if (!found) throw new NotFoundError('IngestSource', name);
      Object.assign(found, { secret, secretRotatedAt: new Date() });
      audit(em as EntityManager, this.deps.principal, 'ingest_source.rotate', { type: 'IngestSource', id: name });
      return found;
    });
    // After the commit: the next post reads the new secret.
    await this.deps.cache.invalidate(cacheKeys.ingestSourceSecret(name));
    return { source: viewOf(source), secret };
  }

  /**
   * A registered source posts signed (POST /ingest/events): its name is refused on the GraphQL
   * path, where nothing proves the caller holds its secret, so no other key can record under it,
   * take its event ids or make its real deliveries CONFLICT.
   */
  async checkUnsigned(name: string): Promise<void> {
    if (await secretOfSource(this.deps.em, this.deps.cache, name)) {
      throw new ForbiddenError(`Source "${name}" posts signed: its events come only through POST /ingest/events`);
    }
  }
}

/**
 * The secret of a source, for verifying a webhook body (read through the cache, which creation
 * and rotation invalidate); null for an unknown source. Unknown names are cached too (as ''):
 * the GraphQL ingest path asks for every call's sources.
 */
export async function secretOfSource(em: EntityManager, cache: Cache, name: string): Promise<string | null> {
  const secret = await cache.getOrLoad(cacheKeys.ingestSourceSecret(name), async () => {
    const [row] = await selectRows<{ secret: string }>(em.fork(), 'select secret from ingest_source where name = ?', [
      name,
    ]);
    return row?.secret ?? '';
  });
  return secret || null;
}

function viewOf(source: IngestSource): IngestSourceType {
  return { name: source.name, createdAt: source.createdAt, secretRotatedAt: source.secretRotatedAt };
}
