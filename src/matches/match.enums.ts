import { registerEnumType } from 'type-graphql';

export enum MatchStatus {
  SCHEDULED = 'SCHEDULED',
  LIVE = 'LIVE',
  HALF_TIME = 'HALF_TIME',
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
}

export enum OddsMarket {
  ONE_X_TWO = 'ONE_X_TWO',
  OVER_UNDER = 'OVER_UNDER',
  ASIAN_HANDICAP = 'ASIAN_HANDICAP',
}

registerEnumType(MatchStatus, { name: 'MatchStatus' });
registerEnumType(MatchEventType, {
  name: 'MatchEventType',
  description:
    'OWN_GOAL is credited to `team`, the side that benefits from it. SECOND_YELLOW_CARD sends a player off as RED_CARD does. ADDED_TIME announces `addedMinutes` of stoppage. VAR_REVIEW records a review and its outcome (`detail`); a goal it rules out is taken back with cancelMatchEvent.',
});
registerEnumType(OddsMarket, {
  name: 'OddsMarket',
  description:
    'ONE_X_TWO prices are [home, draw, away]; OVER_UNDER [over, under] at `line` goals; ASIAN_HANDICAP [home, away] at the home `line`.',
});
