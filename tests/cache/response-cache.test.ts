import { describe, expect, it } from 'vitest';
import { announceSharedDataChange } from '../../src/cache/response-cache';
import { fromGlobalId } from '../../src/common/global-id';
import { createLogger } from '../../src/logger';
import { createAppPubSub } from '../../src/pubsub/pubsub';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { CompetitionsDocument, MatchDetailDocument, UpdateMatchDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember } from '../support/factories';
import { redisUrlForTests } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const redisUrl = redisUrlForTests('response cache across instances');

async function scheduledMatch(t: TestApp): Promise<string> {
  const league = await createLeague(t.app.orm, 2);
  const [id] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  return id!;
}

const setMinuteBehindTheApi = (t: TestApp, matchId: string, minute: number) =>
  t.app.orm.em.getConnection().execute(`update match set minute = ? where id = ?`, [minute, fromGlobalId(matchId).id]);

describe('response cache of shared data', () => {
  it('answers a repeated query without the database, and never stale after a write through the API', async () => {
    const t = await startTestApp({ responseCache: true });
    const admin = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
    const matchId = await scheduledMatch(t);
    const first = await admin.data(MatchDetailDocument, { id: matchId });

    t.resetQueries();
    await setMinuteBehindTheApi(t, matchId, 17);
    t.resetQueries();
    expect(await admin.data(MatchDetailDocument, { id: matchId })).toEqual(first);
    expect(t.queries).toEqual([]);

    await admin.data(UpdateMatchDocument, { id: matchId, input: { status: 'POSTPONED' } });
    expect((await admin.data(MatchDetailDocument, { id: matchId })).match).toMatchObject({
      status: 'POSTPONED',
      minute: 17,
    });
  });

  it('serves one member the response computed for another tenant, but never a caller without a key', async () => {
    const t = await startTestApp({ responseCache: true });
    const one = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    const other = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    const answer = await one.data(CompetitionsDocument);
    t.resetQueries();
    expect(await other.data(CompetitionsDocument)).toEqual(answer);
    expect(t.queries.filter((sql) => !/api_key/.test(sql))).toEqual([]);
    expect(await t.anonymous.errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
    expect(await t.client('mc_not_a_key_at_all_0000000').errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
  });

  it.skipIf(!redisUrl)(
    'is cleared by an announcement from a short-lived process, as npm run import makes',
    async () => {
      const namespace = `test-response-cli-${Date.now()}`;
      const t = await startTestApp({ responseCache: true, redisUrl, redisNamespace: namespace });
      const client = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
      await client.data(CompetitionsDocument);
      expect(t.app.deps.responseCache!.size).toBe(1);

      const cli = createAppPubSub({ redisUrl: redisUrl!, namespace, logger: createLogger('silent') });
      await cli.ready();
      announceSharedDataChange(null, cli.pubSub);
      await cli.close();
      const deadline = Date.now() + 2000;
      while (t.app.deps.responseCache!.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(t.app.deps.responseCache!.size).toBe(0);
    },
  );

  it.skipIf(!redisUrl)('is cleared on every instance sharing Redis by a write on one of them', async () => {
    const namespace = `test-response-cache-${Date.now()}`;
    const a = await startTestApp({ responseCache: true, redisUrl, redisNamespace: namespace });
    const b = await startTestApp({ responseCache: true, redisUrl, redisNamespace: namespace });
    const member = await createMember(a.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] });
    const onA = a.client(member.apiKey);
    const onB = b.client(member.apiKey);
    const matchId = await scheduledMatch(a);
    await onB.data(MatchDetailDocument, { id: matchId });
    await setMinuteBehindTheApi(a, matchId, 33);
    expect((await onB.data(MatchDetailDocument, { id: matchId })).match.minute).toBeNull();

    await onA.data(UpdateMatchDocument, { id: matchId, input: { status: 'POSTPONED' } });
    const deadline = Date.now() + 2000;
    let seen = (await onB.data(MatchDetailDocument, { id: matchId })).match;
    while (seen.status !== 'POSTPONED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = (await onB.data(MatchDetailDocument, { id: matchId })).match;
    }
    expect(seen).toMatchObject({ status: 'POSTPONED', minute: 33 });
  });
});
