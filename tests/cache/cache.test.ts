import { describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { Scope } from '../../src/tenants/scope';
import { MatchDetailDocument, RecordMatchEventDocument, UpdateMatchDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, unique } from '../support/factories';
import { redisUrlForTests } from '../support/redis';
import { startTestApp } from '../support/test-app';

const redisUrl = redisUrlForTests('cache on Redis');
const stores = [
  { name: 'in-memory keyv', redisUrl: undefined as string | undefined, skip: false },
  { name: 'Redis keyv', redisUrl, skip: !redisUrl },
];

describe.each(stores)('match reads cached in $name', ({ redisUrl: url, skip }) => {
  it.skipIf(skip)('serve a cached read, and never a stale read after a write', async () => {
    const t = await startTestApp({ redisUrl: url });
    const admin = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
    const league = await createLeague(t.app.orm, 2);
    const [id] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const matchId = id!;
    expect((await admin.data(MatchDetailDocument, { id: matchId })).match.status).toBe('SCHEDULED');

    // Changed behind the API's back: the cached copy is still served, so the cache is in use.
    await t.app.orm.em.getConnection().execute(`update match set minute = 17 where id = ?`, [fromGlobalId(matchId).id]);
    expect((await admin.data(MatchDetailDocument, { id: matchId })).match.minute).toBeNull();

    // Writes through the API invalidate: the next read sees them.
    await admin.data(UpdateMatchDocument, { id: matchId, input: { status: 'POSTPONED' } });
    const afterUpdate = (await admin.data(MatchDetailDocument, { id: matchId })).match;
    expect(afterUpdate).toMatchObject({ status: 'POSTPONED', minute: 17 });

    await admin.data(UpdateMatchDocument, { id: matchId, input: { status: 'SCHEDULED' } });
    await admin.data(RecordMatchEventDocument, {
      input: { matchId, type: 'KICK_OFF', minute: 0, source: 'test', externalId: unique() },
    });
    expect((await admin.data(MatchDetailDocument, { id: matchId })).match).toMatchObject({ status: 'LIVE', minute: 0 });
  });
});
