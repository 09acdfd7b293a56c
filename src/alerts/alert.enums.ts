import { registerEnumType } from 'type-graphql';

export enum AlertKind {
  HOME_WIN_ABOVE = 'HOME_WIN_ABOVE',
  AWAY_WIN_ABOVE = 'AWAY_WIN_ABOVE',
  DRAW_ABOVE = 'DRAW_ABOVE',
  EDGE_OVER_BEST_PRICE = 'EDGE_OVER_BEST_PRICE',
}

export enum AlertScope {
  MATCH = 'MATCH',
  TEAM = 'TEAM',
  COMPETITION = 'COMPETITION',
  WATCHLIST = 'WATCHLIST',
}

/** A 1X2 outcome, in the order of ONE_X_TWO prices. */
export enum Outcome {
  HOME = 'HOME',
  DRAW = 'DRAW',
  AWAY = 'AWAY',
}

registerEnumType(AlertKind, {
  name: 'AlertKind',
  description: 'What an alert rule watches in each new prediction.',
  valuesConfig: {
    HOME_WIN_ABOVE: { description: 'The home-win probability crosses the threshold from below.' },
    AWAY_WIN_ABOVE: { description: 'The away-win probability crosses the threshold from below.' },
    DRAW_ABOVE: { description: 'The draw probability crosses the threshold from below.' },
    EDGE_OVER_BEST_PRICE: {
      description:
        'For some 1X2 outcome, probability × best available decimal price − 1 is at least the threshold (e.g. 0.05).',
    },
  },
});

registerEnumType(AlertScope, {
  name: 'AlertScope',
  description: 'Which matches an alert rule applies to.',
  valuesConfig: {
    MATCH: { description: 'One match.' },
    TEAM: { description: 'Every match of one team, home or away.' },
    COMPETITION: { description: 'Every match of one competition.' },
    WATCHLIST: {
      description: "Every match the tenant's watchlist covers (the match, either team or its competition).",
    },
  },
});

registerEnumType(Outcome, { name: 'Outcome', description: 'A 1X2 outcome.' });
