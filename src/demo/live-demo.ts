import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Competition } from '../competitions/competition.entity';
import { Season } from '../competitions/season.entity';
import { systemServices, type AppDependencies, type Services } from '../context';
import type { Logger } from '../logger';
import { playTimeline } from '../live/replay/play-timeline';
import { drawScores, HALF_TIME_BREAK_MINUTES, simulateTimeline, type TimelineEvent } from '../live/replay/timeline';
import { SIMULATED_SOURCE } from '../matches/event-sources';
import { intArrayParameter } from '../db/select';
import { Match } from '../matches/match.entity';
import { MatchEventType, MatchStatus, OddsMarket } from '../matches/match.enums';
import type { Prediction } from '../predictions/prediction.entity';

/** What `DEMO_LIVE_SPEED` and `DEMO_LIVE_MATCHES` set. */
export interface LiveDemoOptions {
  /** Match seconds per second. */
  speed: number;
  /** Matches in play at once once the demo is under way; the first kicks off at start. */
  matches: number;
  /** Whose teams play (default the Premier League's latest season's). */
  competition?: string;
}

export interface LiveDemo {
  stop(): Promise<void>;
}

export const DEMO_COMPETITION = 'premier-league';
/** The simulated bookmaker whose prices follow the demo's in-play predictions. */
export const DEMO_BOOKMAKER = 'demo-book';
/** Seasons of demo matches are named by day: one pairing of two teams per season and day. */
export const DEMO_SEASON_PREFIX = 'demo ';
const MARGIN = 0.05;
/** 1 / (0.93 × 1.05) is 1.024: above it a price of at least 1.01 could not carry the margin. */
const SUSPEND_ABOVE = 0.93;
/** The first match kicks off this soon after start, once its pre-match prediction is made. */
const FIRST_KICKOFF_MS = 2000;
/** Match minutes in a simulated match with its break: 90, stoppage (at most 4 + 6) and the break. */
const MATCH_MINUTES = 90 + 10 + HALF_TIME_BREAK_MINUTES;
/** Between events the demo bookmaker quotes again every two match minutes (12 s at 10×). */
const PRICE_TICK_MATCH_SECONDS = 120;

/**
 * Keeps `matches` simulated Premier League matches in play, kick-offs staggered by a share of a
 * match so one is always live: each plays a timeline drawn at random through the ingest path
 * (events of source `simulated`, which the models never learn from), and after each moment the
 * demo bookmaker's 1X2 prices move with the in-play prediction, through ingestOdds.
 */
export async function startLiveDemo(deps: AppDependencies, options: LiveDemoOptions): Promise<LiveDemo> {
  const { logger } = deps;
  // Fresh for each unit of work, as a request's are: a long-lived identity map would go stale.
  const services = () => systemServices(deps);
  const em = deps.orm.em.fork() as EntityManager;
  const code = options.competition ?? DEMO_COMPETITION;
  const competition = await em.findOne(Competition, { code });
  const teamIds = competition ? await latestSeasonTeams(em, competition.id) : [];
  if (teamIds.length < 2) {
    logger.warn(`DEMO_LIVE: no ${code} teams to simulate (demo data not loaded): the live demo is off`);
    return { stop: async () => {} };
  }
  await closeLeftovers(em, services(), competition!);
  const controller = new AbortController();
  const cycleMs = (MATCH_MINUTES * 60_000) / options.speed;
  const staggerMs = cycleMs / options.matches;
  const demo = new DemoFixtures(deps, services, competition!, teamIds);
  const start = Date.now() + FIRST_KICKOFF_MS;
  const first = [];
  for (let lane = 0; lane < options.matches; lane += 1) {
    first.push(await demo.create(new Date(start + lane * staggerMs)));
  }
  await demo.predict();
  logger.info(
    { matches: options.matches, speed: options.speed, minutesPerMatch: Math.round(cycleMs / 60_000) },
    'live demo: simulated matches kick off in turn (DEMO_LIVE=false turns them off)',
  );
  const lanes = first.map(async (fixture) => {
    for (let match = fixture; !controller.signal.aborted;) {
      await sleep(Math.max(0, match.kickoff.getTime() - Date.now()), undefined, { signal: controller.signal });
      // The next match of this lane is made and predicted while this one plays.
      const next = demo.create(new Date(match.kickoff.getTime() + cycleMs)).then(async (m) => {
        await demo.predict();
        return m;
      });
      next.catch(() => {});
      try {
        await playSimulated(services, match, options.speed, controller.signal, logger);
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        logger.warn({ err: error, matchId: match.id }, 'live demo: a simulated match stopped early');
      }
      match = await next;
    }
  });
  const running = Promise.allSettled(lanes).then((results) => {
    for (const result of results) {
      const error = result.status === 'rejected' ? (result.reason as Error) : null;
      if (error && error.name !== 'AbortError') logger.error({ err: error }, 'live demo: a lane stopped');
    }
  });
  return {
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

/**
 * Plays one match: a random score, a timeline ending in it, prices after each moment and, between
 * moments, a fresh quote every PRICE_TICK_MATCH_SECONDS (a match can go minutes without an event;
 * a client that has just subscribed should see it move). Events and quotes go one at a time.
 */
async function playSimulated(
  services: () => Services,
  match: Match,
  speed: number,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  const timeline = simulateTimeline(drawScores());
  let sequence = 0;
  let latest: Prediction | null = null;
  let finished = false;
  let queue: Promise<void> = Promise.resolve();
  const inTurn = (work: () => Promise<void>) => {
    const turn = queue.then(work);
    queue = turn.catch(() => {}); // the caller sees the failure; the next turn still runs
    return turn;
  };
  const played = new AbortController();
  const ticking = quoteEvery((PRICE_TICK_MATCH_SECONDS * 1000) / speed, AbortSignal.any([signal, played.signal]), () =>
    inTurn(async () => {
      if (latest && !finished) await movePrices(services(), match, latest);
    }).catch((error: unknown) => logger.warn({ err: error, matchId: match.id }, 'live demo: a price quote failed')),
  );
  try {
    await playTimeline(timeline, {
      speed,
      signal,
      send: (batch) =>
        inTurn(async () => {
          const { matches } = services();
          for (const event of batch) {
            // What ingestMatchEvents does for each event of a batch, here with the prediction it made.
            const recorded = await matches.recordEvent(eventInput(match, event, (sequence += 1)));
            latest = recorded.prediction ?? latest;
          }
          finished = batch.some((e) => e.type === MatchEventType.FULL_TIME);
          if (latest && !finished) await movePrices(services(), match, latest);
        }),
    });
  } finally {
    played.abort();
    await ticking;
  }
}

/** Calls `quote` every `intervalMs` (after the one before is done) until `signal` aborts. */
async function quoteEvery(intervalMs: number, signal: AbortSignal, quote: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    const due = await sleep(intervalMs, true, { signal }).catch(() => false);
    if (due) await quote();
  }
}

function eventInput(match: Match, event: TimelineEvent, sequence: number) {
  const team = event.side === 'home' ? match.homeTeam : event.side === 'away' ? match.awayTeam : null;
  return {
    matchId: match.id,
    type: event.type,
    minute: event.minute,
    teamId: team?.id,
    addedMinutes: event.addedMinutes,
    detail: event.detail,
    source: SIMULATED_SOURCE,
    externalId: `demo-${match.id}-${sequence}`,
  };
}

/**
 * The demo bookmaker's 1X2 prices: the in-play probabilities with a little noise and a 5% margin,
 * rounded down; null (the market suspended) once an outcome is all but certain, where no price
 * above 1.01 could carry the margin.
 */
export function demoPrices(
  prediction: Pick<Prediction, 'homeWin' | 'draw' | 'awayWin'>,
  random = Math.random,
): number[] | null {
  const noisy = [prediction.homeWin, prediction.draw, prediction.awayWin].map((p) =>
    Math.max(p * (1 + (random() - 0.5) * 0.04), 0.001),
  );
  const total = noisy.reduce((a, b) => a + b, 0);
  const probabilities = noisy.map((p) => p / total);
  if (Math.max(...probabilities) > SUSPEND_ABOVE) return null;
  return probabilities.map((p) => Math.min(1000, Math.floor(100 / (p * (1 + MARGIN))) / 100));
}

async function movePrices(services: Services, match: Match, prediction: Prediction): Promise<void> {
  const prices = demoPrices(prediction);
  if (!prices) return;
  const input = {
    matchId: match.id,
    bookmaker: DEMO_BOOKMAKER,
    market: OddsMarket.ONE_X_TWO,
    line: 0,
    prices,
    takenAt: new Date(),
  };
  await services.odds.ingest([{ index: 0, matchId: match.id, input }]);
}

/** Creates the demo's matches (one pairing per day's season) and their pre-match predictions. */
class DemoFixtures {
  private predicting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: AppDependencies,
    private readonly services: () => Services,
    private readonly competition: Competition,
    private readonly teamIds: readonly number[],
  ) {}

  async create(kickoff: Date): Promise<Match> {
    const em = this.deps.orm.em.fork() as EntityManager;
    const season = await this.seasonOf(em, kickoff);
    const teams = intArrayParameter(this.teamIds);
    const [pair] = await em.getConnection().execute<{ home: number; away: number }[]>(
      `select h as home, a as away from unnest(?::int[]) h cross join unnest(?::int[]) a
        where h <> a and not exists (
          select 1 from match m where m.season_id = ? and m.home_team_id = h and m.away_team_id = a)
        order by random() limit 1`,
      [teams, teams, season.id],
    );
    if (!pair) throw new Error(`live demo: every pairing has played in season "${season.label}"`);
    const { matches } = this.services();
    return matches.create({ seasonId: season.id, homeTeamId: pair.home, awayTeamId: pair.away, kickoff });
  }

  /** Pre-match predictions of the new matches, one refresh at a time. */
  predict(): Promise<void> {
    const { code } = this.competition;
    const done = this.predicting.then(() => this.services().predictions.refreshCompetition(code));
    this.predicting = done.catch((error: unknown) =>
      this.deps.logger.warn(
        { err: error },
        'live demo: pre-match predictions failed; in-play starts from league rates',
      ),
    );
    return this.predicting.then(() => {});
  }

  private async seasonOf(em: EntityManager, kickoff: Date): Promise<Season> {
    const day = kickoff.toISOString().slice(0, 10);
    const label = `${DEMO_SEASON_PREFIX}${day}`;
    const competition = em.getReference(Competition, this.competition.id);
    const found = await em.findOne(Season, { competition, label });
    if (found) return found;
    const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
    const season = em.create(Season, { competition, label, startDate: day, endDate: next });
    await em.flush();
    return season;
  }
}

async function latestSeasonTeams(em: EntityManager, competitionId: number): Promise<number[]> {
  const rows = await em.getConnection().execute<{ team_id: number }[]>(
    `with latest as (select s.id from season s
        where s.competition_id = ? and s.label not like ?
          and exists (select 1 from match x where x.season_id = s.id and x.status = 'FINISHED')
        order by s.start_date desc limit 1)
     select home_team_id as team_id from match where season_id = (select id from latest)
     union select away_team_id from match where season_id = (select id from latest)`,
    [competitionId, `${DEMO_SEASON_PREFIX}%`],
  );
  return rows.map((r) => r.team_id);
}

/** A process stopped mid-match leaves demo matches live or scheduled: they are ended or called off. */
async function closeLeftovers(em: EntityManager, services: Services, competition: Competition): Promise<void> {
  const leftovers = await em.find(Match, {
    season: { competition, label: { $like: `${DEMO_SEASON_PREFIX}%` } },
    status: { $in: [MatchStatus.SCHEDULED, MatchStatus.LIVE, MatchStatus.HALF_TIME] },
  });
  for (const match of leftovers) {
    if (match.status === MatchStatus.SCHEDULED) {
      await services.matches.update(match.id, { status: MatchStatus.CANCELLED });
      continue;
    }
    const minute = match.minute ?? 0;
    const whistles =
      match.status === MatchStatus.HALF_TIME
        ? [MatchEventType.SECOND_HALF, MatchEventType.FULL_TIME]
        : [MatchEventType.FULL_TIME];
    for (const type of whistles) {
      await services.matches.recordEvent({
        matchId: match.id,
        type,
        minute: Math.max(minute, 46),
        source: SIMULATED_SOURCE,
        externalId: `demo-${match.id}-closed-${type}`,
      });
    }
  }
}
