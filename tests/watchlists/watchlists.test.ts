import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { readsSharedDataOnly } from '../../src/auth/shared-data';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { createBareSchema } from '../../src/schema';
import { AuditLog } from '../../src/tenants/audit-log.entity';
import { Role } from '../../src/tenants/role';
import { WatchlistItem } from '../../src/watchlists/watchlist-item.entity';
import { PrivateNodeDocument, UnwatchDocument, WatchDocument, WatchlistDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, type League, type Member } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let league: League;
let matchId: string;
let competitionId: string;
// Tenant A: an ANALYST and a VIEWER; tenant B: an ANALYST.
let analystA: Member;
let a: GraphqlClient;
let viewerA: GraphqlClient;
let b: GraphqlClient;

beforeAll(async () => {
  // The response cache is on: tenant-private answers must never be served from it.
  t = await startTestApp({ responseCache: true });
  league = await createLeague(t.app.orm, 4);
  [matchId] = (await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ])) as [string];
  const [{ id }] = await t.app.orm.em
    .fork()
    .getConnection()
    .execute<{ id: number }[]>('select id from competition where code = ?', [league.code]);
  competitionId = toGlobalId('Competition', id!);
  analystA = await createMember(t.app.orm, Role.ANALYST);
  a = t.client(analystA.apiKey);
  viewerA = t.client((await createMember(t.app.orm, Role.VIEWER, { tenantId: analystA.tenantId })).apiKey);
  b = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
});

const storedItems = (tenantId: number) => t.app.orm.em.fork().find(WatchlistItem, { tenant: tenantId });

describe('watchlist', () => {
  it('lets an ANALYST follow a team, a match and a competition, and every member of the tenant read them', async () => {
    const team = await a.data(WatchDocument, { input: { teamId: league.teams[2]!.gid } });
    const match = await a.data(WatchDocument, { input: { matchId } });
    const competition = await a.data(WatchDocument, { input: { competitionId } });
    expect(team.watch).toMatchObject({ team: { id: league.teams[2]!.gid, name: league.teams[2]!.name } });
    expect(team.watch.match).toBeNull();
    expect(match.watch).toMatchObject({ match: { id: matchId }, team: null, competition: null });
    expect(competition.watch).toMatchObject({ competition: { id: competitionId, code: league.code } });

    const { watchlist } = await viewerA.data(WatchlistDocument);
    expect(watchlist.map((item) => item.id)).toEqual([team.watch.id, match.watch.id, competition.watch.id]);
    expect(await storedItems(analystA.tenantId)).toHaveLength(3);
  });

  it('refuses a VIEWER writing the watchlist with FORBIDDEN, and changes nothing', async () => {
    const before = (await storedItems(analystA.tenantId)).length;
    expect(await viewerA.errorCodes(WatchDocument, { input: { teamId: league.teams[3]!.gid } })).toEqual(['FORBIDDEN']);
    const { watchlist } = await viewerA.data(WatchlistDocument);
    expect(await viewerA.errorCodes(UnwatchDocument, { id: watchlist[0]!.id })).toEqual(['FORBIDDEN']);
    expect(await storedItems(analystA.tenantId)).toHaveLength(before);
  });

  it('answers CONFLICT when the tenant already follows the target, and lets another tenant follow it', async () => {
    const team = league.teams[3]!.gid;
    await b.data(WatchDocument, { input: { teamId: team } });
    expect(await b.errorCodes(WatchDocument, { input: { teamId: team } })).toEqual(['CONFLICT']);
    await a.data(WatchDocument, { input: { teamId: team } });
  });

  it('needs exactly one target that exists', async () => {
    expect(await a.errorCodes(WatchDocument, { input: {} })).toEqual(['BAD_USER_INPUT']);
    expect(await a.errorCodes(WatchDocument, { input: { teamId: league.teams[0]!.gid, matchId: matchId } })).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await a.errorCodes(WatchDocument, { input: { teamId: matchId } })).toEqual(['BAD_USER_INPUT']);
    expect(await a.errorCodes(WatchDocument, { input: { teamId: toGlobalId('Team', 987_654_321) } })).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('removes an item and writes both changes to the audit log in the tenant', async () => {
    const { watch } = await a.data(WatchDocument, { input: { teamId: league.teams[1]!.gid } });
    expect(await a.data(UnwatchDocument, { id: watch.id })).toEqual({ unwatch: watch.id });
    const { watchlist } = await a.data(WatchlistDocument);
    expect(watchlist.map((item) => item.id)).not.toContain(watch.id);
    expect(await a.errorCodes(UnwatchDocument, { id: watch.id })).toEqual(['NOT_FOUND']);
    const audited = await t.app.orm.em
      .fork()
      .find(
        AuditLog,
        { entityType: 'WatchlistItem', entityId: String(fromGlobalId(watch.id).id) },
        { orderBy: { id: 'asc' } },
      );
    expect(audited.map((row) => [row.action, row.tenant?.id, row.user?.id])).toEqual([
      ['watchlist.watch', analystA.tenantId, analystA.userId],
      ['watchlist.unwatch', analystA.tenantId, analystA.userId],
    ]);
    expect(audited[0]!.data).toEqual({ target: league.teams[1]!.gid });
  });
});

describe('watchlist isolation', () => {
  it("never lists another tenant's items, even for the very same query text with the response cache on", async () => {
    const { watch } = await b.data(WatchDocument, { input: { matchId } });
    const ofA = (await a.data(WatchlistDocument)).watchlist.map((item) => item.id);
    const ofB = (await b.data(WatchlistDocument)).watchlist.map((item) => item.id);
    expect(ofB).toContain(watch.id);
    expect(ofA).not.toContain(watch.id);
    expect(ofA.filter((id) => ofB.includes(id))).toEqual([]);
    const schema = await createBareSchema();
    expect(readsSharedDataOnly(schema, parse('{ watchlist { id team { name } } }'))).toBe(false);
    expect(readsSharedDataOnly(schema, parse('query N($id: ID!) { node(id: $id) { id } }'))).toBe(false);
  });

  it("answers NOT_FOUND for another tenant's item, and null from node(id), as for one that does not exist", async () => {
    const { watch } = await b.data(WatchDocument, { input: { teamId: league.teams[0]!.gid } });
    const missing = toGlobalId('WatchlistItem', 987_654_321);
    const refused = await a.request(UnwatchDocument, { id: watch.id });
    const absent = await a.request(UnwatchDocument, { id: missing });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(refused.errors?.[0]?.message).toBe(`WatchlistItem ${watch.id} was not found`);
    expect(absent.errors?.[0]?.message).toBe(`WatchlistItem ${missing} was not found`);
    expect((await b.data(WatchlistDocument)).watchlist.map((item) => item.id)).toContain(watch.id);

    expect(await a.data(PrivateNodeDocument, { id: watch.id })).toEqual({ node: null });
    expect(await b.data(PrivateNodeDocument, { id: watch.id })).toEqual({
      node: { id: watch.id, __typename: 'WatchlistItem', createdAt: watch.createdAt },
    });
  });
});
