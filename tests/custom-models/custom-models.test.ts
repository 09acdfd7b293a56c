import { beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import {
  CreateCustomModelDocument,
  CustomModelsDocument,
  DeleteCustomModelDocument,
  MatchPredictionsByModelDocument,
  RefreshPredictionsDocument,
  TenantNodeDocument,
  UpdateCustomModelDocument,
  type MatchPredictionsByModelQuery,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, unique, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { playedSeason } from '../support/league-history';
import { startTestApp, type TestApp } from '../support/test-app';
import { memberOnPlan } from '../quotas/plans';

type Predictions = MatchPredictionsByModelQuery['match']['predictions'];

let t: TestApp;
let operator: GraphqlClient;
let ours: GraphqlClient;
let theirs: GraphqlClient;
let league: League;
let fixtures: string[];

beforeAll(async () => {
  // With the response cache on: answers with `predictions` must still be each tenant's own.
  t = await startTestApp({ responseCache: true });
  operator = t.client((await createMember(t.app.orm, Role.VIEWER, { scopes: [Scope.OPERATOR] })).apiKey);
  ours = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
  theirs = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
  league = await createLeague(t.app.orm, 8);
  await createMatches(
    t.app.orm,
    league,
    playedSeason(league, (h, a) => (h === 0 && a === 7) || (h === 7 && a === 0)),
  );
  const upcoming = new Date(Date.now() + 3 * 86_400_000);
  fixtures = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[7]!.id, kickoff: upcoming },
    { home: league.teams[7]!.id, away: league.teams[0]!.id, kickoff: upcoming },
  ]);
  await operator.data(RefreshPredictionsDocument, { competition: league.code });
});

const predictionsOf = async (client: GraphqlClient, matchId: string): Promise<Predictions> =>
  (await client.data(MatchPredictionsByModelDocument, { id: matchId })).match.predictions;

const byName = (predictions: Predictions, name: string) => predictions.filter((p) => p.modelName === name);

const create = (client: GraphqlClient, input: Record<string, unknown>) =>
  client.data(CreateCustomModelDocument, {
    input: { name: `m-${unique()}`, baseModels: ['elo', 'pi-ratings'], weights: [1, 3], ...input },
  });

describe('custom models', () => {
  it("pools the platform's base forecasts with the tenant's weights, for that tenant only", async () => {
    const { createCustomModel: model } = await create(ours, {});
    expect(model).toMatchObject({ baseModels: ['elo', 'pi-ratings'], weights: [0.25, 0.75], revision: 1 });
    for (const matchId of fixtures) {
      const predictions = await predictionsOf(ours, matchId);
      const [elo] = byName(predictions, 'elo');
      const [pi] = byName(predictions, 'pi-ratings');
      const custom = byName(predictions, `custom/${model.name}`);
      expect(custom).toHaveLength(1);
      expect(custom[0]!.customModel).toEqual({ id: model.id, name: model.name });
      expect(custom[0]!.modelVersion).toBe('r1');
      expect(custom[0]!.homeWin).toBeCloseTo(0.25 * elo!.homeWin + 0.75 * pi!.homeWin, 12);
      expect(custom[0]!.awayWin).toBeCloseTo(0.25 * elo!.awayWin + 0.75 * pi!.awayWin, 12);
      // Platform predictions carry no custom model; the latest prediction stays the platform's.
      expect(elo!.customModel).toBeNull();
      const answer = await ours.data(MatchPredictionsByModelDocument, { id: matchId });
      expect(answer.match.latestPrediction?.modelName).toBe('ensemble');

      const seenByThem = await predictionsOf(theirs, matchId);
      expect(seenByThem.map((p) => p.modelName)).not.toContain(`custom/${model.name}`);
      expect(seenByThem).toHaveLength(predictions.length - 1);
    }
  });

  it("answers another tenant's custom model and its predictions as missing", async () => {
    const { createCustomModel: model } = await create(ours, {});
    const [prediction] = byName(await predictionsOf(ours, fixtures[0]!), `custom/${model.name}`);
    for (const id of [model.id, prediction!.id]) {
      expect((await theirs.data(TenantNodeDocument, { id })).node).toBeNull();
      expect((await ours.data(TenantNodeDocument, { id })).node).not.toBeNull();
    }
    const update = await theirs.request(UpdateCustomModelDocument, { id: model.id, input: { weights: [1, 1] } });
    const remove = await theirs.request(DeleteCustomModelDocument, { id: model.id });
    for (const response of [update, remove]) expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await theirs.data(CustomModelsDocument)).customModels.map((m) => m.id)).not.toContain(model.id);
    expect((await ours.data(CustomModelsDocument)).customModels.map((m) => m.id)).toContain(model.id);
  });

  it('replaces its upcoming predictions on update (a new revision) and removes them on delete', async () => {
    const { createCustomModel: model } = await create(ours, {});
    const before = byName(await predictionsOf(ours, fixtures[0]!), `custom/${model.name}`);
    const { updateCustomModel: updated } = await ours.data(UpdateCustomModelDocument, {
      id: model.id,
      input: { baseModels: ['dixon-coles', 'elo'], weights: [1, 0] },
    });
    expect(updated).toMatchObject({ revision: 2, baseModels: ['dixon-coles', 'elo'], weights: [1, 0] });
    const predictions = await predictionsOf(ours, fixtures[0]!);
    const after = byName(predictions, `custom/${model.name}`);
    expect(after).toHaveLength(1);
    expect(after[0]!.modelVersion).toBe('r2');
    const dixonColes = byName(predictions, 'dixon-coles')[0]!;
    expect(dixonColes.homeWin).not.toBeCloseTo(before[0]!.homeWin, 6);
    expect(after[0]!.homeWin).toBeCloseTo(dixonColes.homeWin, 12);
    expect(after[0]!.awayWin).toBeCloseTo(dixonColes.awayWin, 12);

    await ours.data(DeleteCustomModelDocument, { id: model.id });
    expect(byName(await predictionsOf(ours, fixtures[0]!), `custom/${model.name}`)).toEqual([]);
  });

  it("refits Dixon-Coles with the model's own time decay", async () => {
    const dixonColes = { baseModels: ['dixon-coles'], weights: [1] };
    const { createCustomModel: short } = await create(ours, { ...dixonColes, timeDecayHalfLifeDays: 7 });
    const { createCustomModel: long } = await create(ours, { ...dixonColes, timeDecayHalfLifeDays: 3650 });
    const predictions = await predictionsOf(ours, fixtures[0]!);
    const [shortMemory] = byName(predictions, `custom/${short.name}`);
    const [longMemory] = byName(predictions, `custom/${long.name}`);
    const [platform] = byName(predictions, 'dixon-coles');
    expect(shortMemory!.homeWin).not.toBeCloseTo(longMemory!.homeWin, 4);
    expect(shortMemory!.homeWin).not.toBeCloseTo(platform!.homeWin, 4);
    for (const p of [shortMemory!, longMemory!]) expect(p.homeWin + p.draw + p.awayWin).toBeCloseTo(1, 9);
    for (const model of [short, long]) await ours.data(DeleteCustomModelDocument, { id: model.id });
  });

  it("keeps every tenant's models current when the operator refreshes the competition", async () => {
    const { createCustomModel: model } = await create(theirs, {});
    await operator.data(RefreshPredictionsDocument, { competition: league.code });
    const predictions = await predictionsOf(theirs, fixtures[1]!);
    const custom = byName(predictions, `custom/${model.name}`);
    expect(custom).toHaveLength(1);
    const elo = byName(predictions, 'elo')[0]!;
    const pi = byName(predictions, 'pi-ratings')[0]!;
    expect(custom[0]!.homeWin).toBeCloseTo(0.25 * elo.homeWin + 0.75 * pi.homeWin, 12);
  });

  it('refuses bad definitions with BAD_USER_INPUT naming the field, and a taken name with CONFLICT', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ baseModels: ['elo', 'crystal-ball'], weights: [1, 1] }, 'baseModels'],
      [{ baseModels: ['elo', 'elo'], weights: [1, 1] }, 'baseModels'],
      [{ baseModels: ['elo'], weights: [1, 1] }, 'weights'],
      [{ baseModels: ['elo', 'pi-ratings'], weights: [0, 0] }, 'weights'],
      [{ baseModels: ['elo', 'pi-ratings'], weights: [-1, 2] }, 'weights'],
      [{ timeDecayHalfLifeDays: 100 }, 'timeDecayHalfLifeDays'],
      [{ baseModels: ['dixon-coles'], weights: [1], timeDecayHalfLifeDays: 1 }, 'timeDecayHalfLifeDays'],
      [{ name: 'Not A Slug!' }, 'name'],
    ];
    for (const [input, field] of cases) {
      const response = await ours.request(CreateCustomModelDocument, {
        input: { name: `m-${unique()}`, baseModels: ['elo', 'pi-ratings'], weights: [1, 3], ...input },
      });
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const { createCustomModel: taken } = await create(ours, {});
    const again = await ours.request(CreateCustomModelDocument, {
      input: { name: taken.name, baseModels: ['elo'], weights: [1] },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it("holds a tenant to its plan's number of custom models (LIMIT_EXCEEDED)", async () => {
    const member = await memberOnPlan(t.app.orm, Role.ANALYST, {});
    await t.app.orm.em
      .fork()
      .getConnection()
      .execute('update plan set max_custom_models = 1 where name = ?', [member.plan]);
    const client = t.client(member.apiKey);
    await create(client, {});
    const second = await client.request(CreateCustomModelDocument, {
      input: { name: `m-${unique()}`, baseModels: ['elo'], weights: [1] },
    });
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 1 });
    expect((await client.data(CustomModelsDocument)).customModels).toHaveLength(1);
  });

  it('is refused to a VIEWER (FORBIDDEN) and to no key (UNAUTHENTICATED)', async () => {
    const viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    const input = { name: `m-${unique()}`, baseModels: ['elo'], weights: [1] };
    expect((await viewer.request(CreateCustomModelDocument, { input })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.anonymous.request(CreateCustomModelDocument, { input })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
