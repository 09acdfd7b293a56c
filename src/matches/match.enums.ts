import { registerEnumType } from 'type-graphql';

export enum MatchStatus {
  SCHEDULED = 'SCHEDULED',
  LIVE = 'LIVE',
  HALF_TIME = 'HALF_TIME',
  /** A knock-out match level after 90 minutes, playing extra time. */
  EXTRA_TIME = 'EXTRA_TIME',
  /** Level after extra time: the penalty shoot-out. */
  PENALTIES = 'PENALTIES',
  FINISHED = 'FINISHED',
  POSTPONED = 'POSTPONED',
  CANCELLED = 'CANCELLED',
}

export enum MatchEventType {
  KICK_OFF = 'KICK_OFF',
  GOAL = 'GOAL',
  OWN_GOAL = 'OWN_GOAL',
  PENALTY_GOAL = 'PENALTY_GOAL',
  RED_CARD = 'RED_CARD',
  HALF_TIME = 'HALF_TIME',
  SECOND_HALF = 'SECOND_HALF',
  FULL_TIME = 'FULL_TIME',
  YELLOW_CARD = 'YELLOW_CARD',
  SECOND_YELLOW_CARD = 'SECOND_YELLOW_CARD',
  SUBSTITUTION = 'SUBSTITUTION',
  PENALTY_AWARDED = 'PENALTY_AWARDED',
  PENALTY_MISSED = 'PENALTY_MISSED',
  VAR_REVIEW = 'VAR_REVIEW',
  ADDED_TIME = 'ADDED_TIME',
  EXTRA_TIME_START = 'EXTRA_TIME_START',
  SHOOTOUT_START = 'SHOOTOUT_START',
  SHOOTOUT_GOAL = 'SHOOTOUT_GOAL',
  SHOOTOUT_MISS = 'SHOOTOUT_MISS',
}

export enum OddsMarket {
  ONE_X_TWO = 'ONE_X_TWO',
  OVER_UNDER = 'OVER_UNDER',
  ASIAN_HANDICAP = 'ASIAN_HANDICAP',
}

registerEnumType(MatchStatus, {
  name: 'MatchStatus',
  description:
    'EXTRA_TIME: a knock-out match level after 90 minutes plays extra time; PENALTIES: level after extra time, the shoot-out.',
});
registerEnumType(MatchEventType, {
  name: 'MatchEventType',
  description:
    "OWN_GOAL is credited to `team`, the side that benefits from it. SECOND_YELLOW_CARD sends a player off as RED_CARD does. ADDED_TIME announces `addedMinutes` of stoppage. VAR_REVIEW records a review and its outcome (`detail`); a goal it rules out is taken back with cancelMatchEvent. Knock-out matches: EXTRA_TIME_START (scores level, from minute 90) starts extra time, whose goals count in the score; SHOOTOUT_START (level, from minute 120) starts the shoot-out, whose kicks are SHOOTOUT_GOAL and SHOOTOUT_MISS (with the kicker's team) and count apart (`homeShootoutGoals`); FULL_TIME ends the match after either, a shoot-out once it has a winner.",
});
registerEnumType(OddsMarket, {
  name: 'OddsMarket',
  description:
    'ONE_X_TWO prices are [home, draw, away]; OVER_UNDER [over, under] at `line` goals; ASIAN_HANDICAP [home, away] at the home `line`.',
});
