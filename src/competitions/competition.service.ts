import type { EntityManager } from '@mikro-orm/postgresql';
import { cacheKeys, type Cache } from '../cache/cache';
import { Competition } from './competition.entity';
import { competitionView, type CompetitionRow } from './competition.views';

export class CompetitionService {
  constructor(private readonly deps: { em: EntityManager; cache: Cache }) {}

  /** All competitions by name; cached, as they change only on import. */
  async list(): Promise<Competition[]> {
    const rows = await this.deps.cache.getOrLoad<CompetitionRow[]>(cacheKeys.competitions(), async () => {
      const found = await this.deps.em.find(Competition, {}, { orderBy: { name: 'asc' } });
      return found.map(({ id, code, name, country }) => ({ id, code, name, country }));
    });
    return rows.map(competitionView);
  }

  async findByCode(code: string): Promise<Competition | null> {
    return (await this.list()).find((c) => c.code === code) ?? null;
  }
}
