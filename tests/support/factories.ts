import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { App } from '../../src/app';
import { generateApiKey } from '../../src/auth/api-key';
import { apiKeyCredential } from '../../src/auth/principal';
import { announceCredentialsRevoked } from '../../src/auth/principal-cache';
import { toGlobalId } from '../../src/common/global-id';
import { Competition } from '../../src/competitions/competition.entity';
import { Season } from '../../src/competitions/season.entity';
import type { Orm } from '../../src/db/orm';
import { Match } from '../../src/matches/match.entity';
import { MatchStatus, OddsMarket } from '../../src/matches/match.enums';
import { Odds } from '../../src/matches/odds.entity';
import { Prediction } from '../../src/predictions/prediction.entity';
import { Team } from '../../src/teams/team.entity';
import { issueApiKey, revokeApiKey } from '../../src/tenants/api-key.service';
import { Membership } from '../../src/tenants/membership.entity';
import { Role } from '../../src/tenants/role';
import type { Scope } from '../../src/tenants/scope';
import { Tenant } from '../../src/tenants/tenant.entity';
import { User } from '../../src/tenants/user.entity';

/** A short random suffix, so data made per test never collides with another test's. */
export const unique = () => randomBytes(4).toString('hex');

async function inTransaction<T>(orm: Orm, work: (em: EntityManager) => Promise<T> | T): Promise<T> {
  return orm.em.fork().transactional(async (em) => work(em as EntityManager));
}

export interface Member {
  apiKey: string;
  apiKeyId: number;
  tenantId: number;
  userId: number;
  membershipId: number;
}

export interface MemberOptions {
  /** Scopes of the member's key: platform writes need OPERATOR (or INGEST for match events). */
  scopes?: Scope[];
  /** Joins this tenant instead of a new one. */
  tenantId?: number;
}

/** A user of `role` in a new tenant (or `options.tenantId`), and an API key for them. */
export function createMember(orm: Orm, role: Role = Role.ADMIN, options: MemberOptions = {}): Promise<Member> {
  return inTransaction(orm, async (em) => {
    const id = unique();
    const tenant =
      options.tenantId === undefined
        ? em.create(Tenant, { slug: `t-${id}`, name: `Tenant ${id}` })
        : em.getReference(Tenant, options.tenantId);
    const user = em.create(User, { email: `${id}@example.test`, name: `User ${id}` });
    const membership = em.create(Membership, { tenant, user, name: user.name, role });
    const { entity, plainKey } = issueApiKey(em, membership, 'test', generateApiKey(), { scopes: options.scopes });
    await em.flush();
    return {
      apiKey: plainKey,
      apiKeyId: entity.id,
      tenantId: tenant.id,
      userId: user.id,
      membershipId: membership.id,
    };
  });
}

/** Revokes a member's key as an operator would: in the database, then announced to every instance. */
export async function revokeKey(app: App, member: Member): Promise<void> {
  await revokeApiKey(app.orm.em.fork() as EntityManager, member.apiKeyId);
  announceCredentialsRevoked(app.deps.principals, app.deps.pubSub, [apiKeyCredential(member.apiKeyId)]);
}

export interface League {
  code: string;
  competitionId: number;
  seasonLabel: string;
  seasonId: number;
  seasonGid: string;
  teams: { id: number; gid: string; name: string }[];
}

/** A competition with one 2030/31 season and `teamCount` teams. */
export function createLeague(orm: Orm, teamCount = 4): Promise<League> {
  return inTransaction(orm, async (em) => {
    const id = unique();
    const competition = em.create(Competition, { code: `league-${id}`, name: `League ${id}`, country: 'Testland' });
    const season = em.create(Season, { competition, label: '2030/31', startDate: '2030-08-01', endDate: '2031-05-31' });
    const teams = Array.from({ length: teamCount }, (_, i) =>
      em.create(Team, { name: `Team ${id} ${String(i).padStart(2, '0')}`, shortName: `T${i}`, country: 'Testland' }),
    );
    await em.flush();
    return {
      code: competition.code,
      competitionId: competition.id,
      seasonLabel: season.label,
      seasonId: season.id,
      seasonGid: toGlobalId('Season', season.id),
      teams: teams.map((t) => ({ id: t.id, gid: toGlobalId('Team', t.id), name: t.name })),
    };
  });
}

export interface MatchSpec {
  home: number;
  away: number;
  kickoff: Date;
  status?: MatchStatus;
  homeGoals?: number;
  awayGoals?: number;
  homeShotsOnTarget?: number;
  awayShotsOnTarget?: number;
}

/** Matches in the league's season; returns their global IDs in the order given. */
export function createMatches(orm: Orm, league: League, specs: MatchSpec[]): Promise<string[]> {
  return inTransaction(orm, async (em) => {
    const matches = specs.map((spec) =>
      em.create(Match, {
        season: em.getReference(Season, league.seasonId),
        homeTeam: em.getReference(Team, spec.home),
        awayTeam: em.getReference(Team, spec.away),
        kickoff: spec.kickoff,
        status: spec.status ?? MatchStatus.SCHEDULED,
        homeGoals: spec.homeGoals ?? null,
        awayGoals: spec.awayGoals ?? null,
        homeShotsOnTarget: spec.homeShotsOnTarget ?? null,
        awayShotsOnTarget: spec.awayShotsOnTarget ?? null,
      }),
    );
    await em.flush();
    return matches.map((m) => toGlobalId('Match', m.id));
  });
}

/** Every pairing of the league's teams (home and away), kicking off a day apart from `start`. */
export function roundRobin(league: League, start: Date): MatchSpec[] {
  const specs: MatchSpec[] = [];
  for (const home of league.teams) {
    for (const away of league.teams) {
      if (home.id === away.id) continue;
      specs.push({ home: home.id, away: away.id, kickoff: new Date(start.getTime() + specs.length * 86_400_000) });
    }
  }
  return specs;
}

export function addPrediction(
  orm: Orm,
  matchId: number,
  probabilities: { homeWin: number; draw: number; awayWin: number },
  createdAt = new Date(),
  modelName = 'test-model',
  modelVersion = '1',
): Promise<number> {
  return inTransaction(orm, async (em) => {
    const prediction = em.create(Prediction, {
      match: em.getReference(Match, matchId),
      modelName,
      modelVersion,
      ...probabilities,
      expectedHomeGoals: 1.4,
      expectedAwayGoals: 1.1,
      gridHomeRate: 1.4,
      gridAwayRate: 1.1,
      gridRho: -0.05,
      createdAt,
    });
    await em.flush();
    return prediction.id;
  });
}

/** 1X2 prices of a match: a closing row unless told otherwise (`closing: false`: an earlier price). */
export function addOdds(
  orm: Orm,
  matchId: number,
  bookmaker: string,
  prices: number[],
  { closing = true, takenAt = null }: { closing?: boolean; takenAt?: Date | null } = {},
): Promise<void> {
  return inTransaction(orm, (em) => {
    em.create(Odds, {
      match: em.getReference(Match, matchId),
      bookmaker,
      market: OddsMarket.ONE_X_TWO,
      line: 0,
      prices,
      closing,
      takenAt,
    });
  });
}
