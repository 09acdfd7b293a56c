// The GraphQL documents of the HTTP scenarios: Matchcast's, and PostGraphile's equivalents in
// PostGraphile 5's default (Amber preset) naming.

export const MATCHCAST_MATCH_LIST = `query MatchList($competition: String!, $season: String!, $first: Int!) {
  matches(filter: { competition: $competition, season: $season }, first: $first) {
    totalCount
    edges {
      node {
        id
        kickoff
        homeTeam { name }
        awayTeam { name }
        season { label }
        latestPrediction { modelName homeWin draw awayWin }
        odds { bookmaker market line prices }
      }
    }
  }
}`;

const MATCHCAST_PREDICTION_FIELDS = `id modelName modelVersion homeWin draw awayWin expectedHomeGoals expectedAwayGoals
  inPlayMinute createdAt
  markets {
    overUnder { line over under }
    bothTeamsToScore { yes no }
    asianHandicap { line home push away }
    topScores { homeGoals awayGoals probability }
  }`;

export const MATCHCAST_MATCH_DETAIL = `query MatchDetail($id: ID!) {
  match(id: $id) {
    id kickoff status minute homeGoals awayGoals halfTimeHomeGoals halfTimeAwayGoals
    homeShots awayShots homeShotsOnTarget awayShotsOnTarget createdAt updatedAt
    homeTeam { id name shortName country }
    awayTeam { id name shortName country }
    season { id label startDate endDate competition { id code name country } }
    events { id type minute source externalId createdAt team { id name } }
    odds { id bookmaker market line prices closing takenAt }
    latestPrediction { ...PredictionFields }
    predictions { ...PredictionFields }
  }
}
fragment PredictionFields on Prediction { ${MATCHCAST_PREDICTION_FIELDS} }`;

// PostGraphile has no filter across relations by default: the season is reached from the
// competition's unique code, then the season label, which is the same filter.
export const POSTGRAPHILE_MATCH_LIST = `query MatchList($competition: String!, $season: String!, $first: Int!) {
  competitionByCode(code: $competition) {
    seasonsByCompetitionId(condition: { label: $season }) {
      nodes {
        matchesBySeasonId(first: $first, orderBy: [KICKOFF_ASC, PRIMARY_KEY_ASC]) {
          totalCount
          nodes {
            id
            kickoff
            teamByHomeTeamId { name }
            teamByAwayTeamId { name }
            seasonBySeasonId { label }
            predictionsByMatchId(first: 1, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) {
              nodes { modelName homeWin draw awayWin }
            }
            oddsByMatchId(orderBy: [BOOKMAKER_ASC, MARKET_ASC, LINE_ASC, PRIMARY_KEY_ASC]) {
              nodes { bookmaker market line prices }
            }
          }
        }
      }
    }
  }
}`;

// Events by primary key: PostGraphile only orders by indexed columns, and the bench's events
// were inserted in minute order, so the list is the same as Matchcast's (minute, id).
export const POSTGRAPHILE_MATCH_DETAIL = `query MatchDetail($rowId: Int!) {
  matchByRowId(rowId: $rowId) {
    id kickoff status minute homeGoals awayGoals halfTimeHomeGoals halfTimeAwayGoals
    homeShots awayShots homeShotsOnTarget awayShotsOnTarget createdAt updatedAt
    teamByHomeTeamId { id name shortName country }
    teamByAwayTeamId { id name shortName country }
    seasonBySeasonId { id label startDate endDate competitionByCompetitionId { id code name country } }
    matchEventsByMatchId(orderBy: [PRIMARY_KEY_ASC]) {
      nodes { id type minute source externalId createdAt teamByTeamId { id name } }
    }
    oddsByMatchId(orderBy: [BOOKMAKER_ASC, MARKET_ASC, LINE_ASC, PRIMARY_KEY_ASC]) {
      nodes { id bookmaker market line prices closing takenAt }
    }
    latestPrediction: predictionsByMatchId(first: 1, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) {
      nodes { ...PredictionFields }
    }
    predictionsByMatchId(orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) { nodes { ...PredictionFields } }
  }
}
fragment PredictionFields on Prediction {
  id modelName modelVersion homeWin draw awayWin expectedHomeGoals expectedAwayGoals inPlayMinute createdAt markets
}`;
