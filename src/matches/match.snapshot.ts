import type { Match } from './match.entity';
import type { MatchStatus } from './match.enums';
import { matchFromRow } from './match.views';

/** JSON-safe copy of a match, as kept in the cache and sent through pub/sub. */
export interface MatchSnapshot {
  id: number;
  seasonId: number;
  homeTeamId: number;
  awayTeamId: number;
  kickoff: string;
  status: MatchStatus;
  minute: number | null;
  homeGoals: number | null;
  awayGoals: number | null;
  halfTimeHomeGoals: number | null;
  halfTimeAwayGoals: number | null;
  /** Absent from snapshots stored before shoot-outs were recorded. */
  homeShootoutGoals?: number | null;
  awayShootoutGoals?: number | null;
  homeShots: number | null;
  awayShots: number | null;
  homeShotsOnTarget: number | null;
  awayShotsOnTarget: number | null;
  createdAt: string;
  updatedAt: string;
}

export function toMatchSnapshot(match: Match): MatchSnapshot {
  return {
    id: match.id,
    seasonId: match.season.id,
    homeTeamId: match.homeTeam.id,
    awayTeamId: match.awayTeam.id,
    kickoff: match.kickoff.toISOString(),
    status: match.status,
    minute: match.minute ?? null,
    homeGoals: match.homeGoals ?? null,
    awayGoals: match.awayGoals ?? null,
    halfTimeHomeGoals: match.halfTimeHomeGoals ?? null,
    halfTimeAwayGoals: match.halfTimeAwayGoals ?? null,
    homeShootoutGoals: match.homeShootoutGoals ?? null,
    awayShootoutGoals: match.awayShootoutGoals ?? null,
    homeShots: match.homeShots ?? null,
    awayShots: match.awayShots ?? null,
    homeShotsOnTarget: match.homeShotsOnTarget ?? null,
    awayShotsOnTarget: match.awayShotsOnTarget ?? null,
    createdAt: match.createdAt.toISOString(),
    updatedAt: match.updatedAt.toISOString(),
  };
}

/** A read view of the match in a snapshot (see `readViewFactory`). */
export function matchFromSnapshot(snapshot: MatchSnapshot): Match {
  return matchFromRow({
    id: snapshot.id,
    season_id: snapshot.seasonId,
    home_team_id: snapshot.homeTeamId,
    away_team_id: snapshot.awayTeamId,
    kickoff: snapshot.kickoff,
    status: snapshot.status,
    minute: snapshot.minute,
    home_goals: snapshot.homeGoals,
    away_goals: snapshot.awayGoals,
    half_time_home_goals: snapshot.halfTimeHomeGoals,
    half_time_away_goals: snapshot.halfTimeAwayGoals,
    home_shootout_goals: snapshot.homeShootoutGoals ?? null,
    away_shootout_goals: snapshot.awayShootoutGoals ?? null,
    home_shots: snapshot.homeShots,
    away_shots: snapshot.awayShots,
    home_shots_on_target: snapshot.homeShotsOnTarget,
    away_shots_on_target: snapshot.awayShotsOnTarget,
    created_at: snapshot.createdAt,
    updated_at: snapshot.updatedAt,
  });
}
