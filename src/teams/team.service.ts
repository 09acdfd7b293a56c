import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toConnection, type Connection } from '../common/connection';
import { BadUserInputError } from '../errors';
import { Team } from './team.entity';

export interface TeamListFilter {
  search?: string;
  competitionCode?: string;
}

export class TeamService {
  constructor(private readonly deps: { em: EntityManager }) {}

  /** Teams by name then id, keyset-paginated. */
  async list(filter: TeamListFilter, limit: number, after: unknown[] | null): Promise<Connection<Team>> {
    const where = await this.where(filter);
    const page: FilterQuery<Team> = after ? { $and: [where, afterCursor(after)] } : where;
    const [rows, totalCount] = await Promise.all([
      this.deps.em.find(Team, page, { orderBy: { name: 'asc', id: 'asc' }, limit: limit + 1 }),
      this.deps.em.count(Team, where),
    ]);
    return toConnection(rows, limit, totalCount, (t) => [t.name, t.id]);
  }

  private async where(filter: TeamListFilter): Promise<FilterQuery<Team>> {
    const where: FilterQuery<Team>[] = [];
    if (filter.search) {
      const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({ $or: [{ name: { $ilike: pattern } }, { shortName: { $ilike: pattern } }] });
    }
    if (filter.competitionCode) where.push({ id: { $in: await this.teamIdsIn(filter.competitionCode) } });
    return where.length ? { $and: where } : {};
  }

  private async teamIdsIn(competitionCode: string): Promise<number[]> {
    const rows: { team_id: number }[] = await this.deps.em.getConnection().execute(
      `select distinct t.team_id from match m
         join season s on s.id = m.season_id
         join competition c on c.id = s.competition_id
         cross join lateral (values (m.home_team_id), (m.away_team_id)) as t(team_id)
        where c.code = ?`,
      [competitionCode],
    );
    return rows.map((r) => r.team_id);
  }
}

function afterCursor(after: unknown[]): FilterQuery<Team> {
  const [name, id] = after;
  if (typeof name !== 'string' || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return { $or: [{ name: { $gt: name } }, { name, id: { $gt: id } }] };
}
