/** Operations GraphiQL opens with, so a new user can run something at once. */
export const exampleOperations = `# Welcome to Matchcast. Pick an operation with the run button.
# Start with Matchday: in demo mode simulated matches are always in play, so it moves within
# seconds (events, scores, in-play predictions and price moves of every match, in order).
# Copy a match id from UpcomingMatches into the variables, e.g.
# {"matchId": "...", "externalId": "my-feed-1"}: an event key is recorded once, so pick a new
# externalId for each event you send.

query Competitions {
  competitions {
    id
    code
    name
    seasons { label startDate endDate }
  }
}

query UpcomingMatches {
  matches(filter: { status: SCHEDULED }, first: 10) {
    totalCount
    edges {
      node {
        id
        kickoff
        homeTeam { name }
        awayTeam { name }
        latestPrediction {
          modelName
          modelVersion
          homeWin
          draw
          awayWin
          expectedHomeGoals
          expectedAwayGoals
          markets { overUnder { line over under } bothTeamsToScore { yes no } topScores { homeGoals awayGoals probability } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}

query RecentResults {
  matches(filter: { competition: "premier-league", status: FINISHED, from: "2025-05-01T00:00:00Z" }, first: 10) {
    edges {
      node {
        kickoff
        homeTeam { shortName }
        awayTeam { shortName }
        homeGoals
        awayGoals
        odds { bookmaker market line prices closing }
      }
    }
  }
}

query Models {
  models { name version backtest { from to matches rps marketRps } }
}

subscription Matchday {
  liveFeed {
    __typename
    sequence
    at
    match { id status minute homeGoals awayGoals homeTeam { shortName } awayTeam { shortName } }
    ... on MatchEventRecorded {
      event { type minute team { shortName } }
      prediction { homeWin draw awayWin }
    }
    ... on MatchEventCorrected { cancelled event { type minute } }
    ... on PricesMoved { odds { bookmaker market prices takenAt } }
  }
}

subscription WatchMatch($matchId: ID!) {
  matchUpdated(matchId: $matchId) {
    status
    minute
    homeGoals
    awayGoals
  }
}

mutation KickOff($matchId: ID!, $externalId: String!) {
  recordMatchEvent(input: { matchId: $matchId, type: KICK_OFF, minute: 0, externalId: $externalId }) {
    created
    match { status minute homeGoals awayGoals }
  }
}
`;
