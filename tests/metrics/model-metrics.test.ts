import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { MatchStatus } from '../../src/matches/match.enums';
import { Role } from '../../src/tenants/role';
import { ModelMetricsDocument } from '../generated/graphql';
import { addPrediction, createLeague, createMatches, createMember, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let viewer: GraphqlClient;
let league: League;
const kickoff = new Date('2030-09-01T15:00:00Z');
const before = new Date('2030-08-31T12:00:00Z');
const after = new Date('2030-09-02T12:00:00Z');

beforeAll(async () => {
  t = await startTestApp();
  viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
  league = await createLeague(t.app.orm, 4);
  const [homeWin, draw, scheduled] = await createMatches(t.app.orm, league, [
    {
      home: league.teams[0]!.id,
      away: league.teams[1]!.id,
      kickoff,
      status: MatchStatus.FINISHED,
      homeGoals: 2,
      awayGoals: 0,
    },
    {
      home: league.teams[2]!.id,
      away: league.teams[3]!.id,
      kickoff,
      status: MatchStatus.FINISHED,
      homeGoals: 1,
      awayGoals: 1,
    },
    { home: league.teams[1]!.id, away: league.teams[0]!.id, kickoff: new Date('2030-12-01T15:00:00Z') },
  ]);
  const id = (gid: string | undefined) => fromGlobalId(gid!).id;
  await addPrediction(t.app.orm, id(homeWin), { homeWin: 1, draw: 0, awayWin: 0 }, before, 'scored');
  await addPrediction(
    t.app.orm,
    id(draw),
    { homeWin: 0.2, draw: 0.2, awayWin: 0.6 },
    new Date('2030-08-01T00:00:00Z'),
    'scored',
  );
  await addPrediction(t.app.orm, id(draw), { homeWin: 1 / 3, draw: 1 / 3, awayWin: 1 / 3 }, before, 'scored');
  // Made after kick-off: it could know the result, so it must not count.
  await addPrediction(t.app.orm, id(draw), { homeWin: 0, draw: 1, awayWin: 0 }, after, 'scored');
  // Another version of the model: scored only when asked for.
  await addPrediction(t.app.orm, id(homeWin), { homeWin: 0, draw: 0, awayWin: 1 }, before, 'scored', '2');
  // Not finished yet: nothing to score.
  await addPrediction(t.app.orm, id(scheduled), { homeWin: 0.5, draw: 0.3, awayWin: 0.2 }, before, 'scored');
});

describe('modelMetrics', () => {
  it('scores the last pre-kick-off prediction of each finished match', async () => {
    const { modelMetrics } = await viewer.data(ModelMetricsDocument, {
      model: 'scored',
      competition: league.code,
      modelVersion: '1',
    });
    // Home win forecast at 1: RPS 0, Brier 0, log loss 0, a hit.
    // Draw with (1/3, 1/3, 1/3): RPS ((1/3)² + (1/3)²)/2 = 1/9, Brier 2/3, log loss ln 3, a miss (ties go home).
    expect(modelMetrics.sampleSize).toBe(2);
    expect(modelMetrics.rps).toBeCloseTo(1 / 18, 10);
    expect(modelMetrics.brier).toBeCloseTo(1 / 3, 10);
    expect(modelMetrics.logLoss).toBeCloseTo(Math.log(3) / 2, 10);
    expect(modelMetrics.accuracy).toBe(0.5);
    expect(modelMetrics.calibration.filter((b) => b.outcome === 'HOME').map((b) => b.count)).toEqual([1, 1]);
  });

  it('scores one model version at a time when asked', async () => {
    const v1 = await viewer.data(ModelMetricsDocument, {
      model: 'scored',
      competition: league.code,
      modelVersion: '1',
    });
    expect(v1.modelMetrics).toMatchObject({ sampleSize: 2, accuracy: 0.5 });
    const v2 = await viewer.data(ModelMetricsDocument, {
      model: 'scored',
      competition: league.code,
      modelVersion: '2',
    });
    expect(v2.modelMetrics).toMatchObject({ sampleSize: 1, accuracy: 0, rps: 1 });
  });

  it('filters by season and answers an empty sample with nulls', async () => {
    const bySeason = await viewer.data(ModelMetricsDocument, {
      model: 'scored',
      competition: league.code,
      season: '2030/31',
    });
    expect(bySeason.modelMetrics.sampleSize).toBe(2);
    const none = await viewer.data(ModelMetricsDocument, {
      model: 'scored',
      competition: league.code,
      season: '1999/00',
    });
    expect(none.modelMetrics).toMatchObject({ sampleSize: 0, rps: null, brier: null, calibration: [] });
    const unknownModel = await viewer.data(ModelMetricsDocument, { model: 'nobody', competition: league.code });
    expect(unknownModel.modelMetrics.sampleSize).toBe(0);
  });

  it('needs an API key', async () => {
    expect(await t.anonymous.errorCodes(ModelMetricsDocument, { model: 'scored', competition: league.code })).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
