import Redis from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import {
  CompetitionsDocument,
  MatchUpdatedDocument,
  RemoveMemberDocument,
  RevokeApiKeyDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, type Member } from '../support/factories';
import { GraphqlClient, Subscription } from '../support/graphql-client';
import { claimsOf, signTestJwt, TEST_JWT_SETTINGS } from '../support/jwt';
import { redisUrlForTests } from '../support/redis';
import { RawSocket } from './raw-socket';
import { startTestApp, type TestApp } from '../support/test-app';

const redisUrl = redisUrlForTests('closing revoked sockets across instances');

/** A socket of `client` with a live matchUpdated feed; resolves once the server acknowledged it. */
async function openFeed(t: TestApp, client: GraphqlClient) {
  const league = await createLeague(t.app.orm, 2);
  const [matchId] = await createMatches(t.app.orm, league, [
    { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
  ]);
  let closed: { code: number; reason: string } | null = null;
  const ws = client.websocket({ onClosed: (event) => (closed = event) });
  const connected = new Promise<void>((resolve) => ws.on('connected', () => resolve()));
  const feed = new Subscription(ws, MatchUpdatedDocument, { matchId: matchId! });
  await connected;
  return { feed, closedWith: () => closed, dispose: () => ws.dispose() };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition() && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 10));
  return Date.now() - started;
}

describe.skipIf(!redisUrl)('revoking a key ends its open subscriptions on every instance', () => {
  async function twoInstances() {
    const namespace = `test-revocation-${Date.now()}`;
    return [
      await startTestApp({ redisUrl, redisNamespace: namespace }),
      await startTestApp({ redisUrl, redisNamespace: namespace }),
    ] as const;
  }

  async function ownerAndMember(t: TestApp): Promise<{ owner: Member; member: Member; bystander: Member }> {
    const owner = await createMember(t.app.orm, Role.OWNER);
    const member = await createMember(t.app.orm, Role.VIEWER, { tenantId: owner.tenantId });
    const bystander = await createMember(t.app.orm, Role.VIEWER, { tenantId: owner.tenantId });
    return { owner, member, bystander };
  }

  it('closes the revoked key’s socket with 4403 within a second, and no other', async () => {
    const [a, b] = await twoInstances();
    const { owner, member, bystander } = await ownerAndMember(a);
    const revokedFeed = await openFeed(b, b.client(member.apiKey));
    const otherFeed = await openFeed(b, b.client(bystander.apiKey));

    await a.client(owner.apiKey).data(RevokeApiKeyDocument, { id: toGlobalId('ApiKey', member.apiKeyId) });
    const waited = await until(() => revokedFeed.closedWith() !== null, 2_000);

    expect(revokedFeed.closedWith()).toMatchObject({ code: 4403 });
    expect(waited).toBeLessThan(1_000);
    expect(otherFeed.closedWith()).toBeNull();
    expect(await b.client(member.apiKey).errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
    otherFeed.dispose();
  });

  it('closes a removed member’s sockets the same way', async () => {
    const [a, b] = await twoInstances();
    const { owner, member } = await ownerAndMember(a);
    const feed = await openFeed(b, b.client(member.apiKey));

    await a.client(owner.apiKey).data(RemoveMemberDocument, { id: toGlobalId('Member', member.membershipId) });
    await until(() => feed.closedWith() !== null, 2_000);

    expect(feed.closedWith()).toMatchObject({ code: 4403 });
  });
});

// Written behind the API's back, as plain SQL: no pub/sub message is ever sent, as if it were lost.
async function sql(t: TestApp, statement: string, params: unknown[]): Promise<void> {
  await t.app.orm.em.fork().getConnection().execute(statement, params);
}

const recheckStatements = (queries: string[]) => queries.filter((q) => /unnest\(/.test(q));

describe('open sockets are re-checked every CREDENTIAL_RECHECK_SECONDS, should a revocation message be lost', () => {
  let t: TestApp;
  let owner: Member;

  beforeAll(async () => {
    t = await startTestApp({ credentialRecheckSeconds: 1, jwt: TEST_JWT_SETTINGS });
    owner = await createMember(t.app.orm, Role.OWNER);
  });

  const aMember = () => createMember(t.app.orm, Role.VIEWER, { tenantId: owner.tenantId });

  it('closes the socket of a key revoked in the database with 4403 within the interval, and no other', async () => {
    const [member, bystander] = [await aMember(), await aMember()];
    const revokedFeed = await openFeed(t, t.client(member.apiKey));
    const otherFeed = await openFeed(t, t.client(bystander.apiKey));

    await sql(t, 'update api_key set revoked_at = now() where id = ?', [member.apiKeyId]);
    const waited = await until(() => revokedFeed.closedWith() !== null, 3_000);

    expect(revokedFeed.closedWith()).toMatchObject({ code: 4403 });
    expect(waited).toBeLessThan(2_000);
    expect(otherFeed.closedWith()).toBeNull();
    await otherFeed.dispose();
  });

  it('closes the key and JWT sockets of a member removed in the database', async () => {
    const member = await aMember();
    const token = await signTestJwt({ ...(await claimsOf(t.app.orm, member)), role: 'VIEWER' });
    const keyFeed = await openFeed(t, t.client(member.apiKey));
    const jwtFeed = await openFeed(t, new GraphqlClient(t.app.url, token));

    await sql(t, 'delete from membership where id = ?', [member.membershipId]);
    await until(() => keyFeed.closedWith() !== null && jwtFeed.closedWith() !== null, 3_000);

    expect(keyFeed.closedWith()).toMatchObject({ code: 4403 });
    expect(jwtFeed.closedWith()).toMatchObject({ code: 4403 });
  });

  it('closes a key’s socket when its member’s role changed, but not a JWT’s (its role is the token’s)', async () => {
    const member = await aMember();
    const token = await signTestJwt({ ...(await claimsOf(t.app.orm, member)), role: 'VIEWER' });
    const keyFeed = await openFeed(t, t.client(member.apiKey));
    const jwtFeed = await openFeed(t, new GraphqlClient(t.app.url, token));

    await sql(t, `update membership set role = 'ADMIN' where id = ?`, [member.membershipId]);
    await until(() => keyFeed.closedWith() !== null, 3_000);

    expect(keyFeed.closedWith()).toMatchObject({ code: 4403 });
    expect(jwtFeed.closedWith()).toBeNull();
    await jwtFeed.dispose();
  });

  it('keeps the socket of a valid key open across several intervals', async () => {
    const feed = await openFeed(t, t.client((await aMember()).apiKey));
    t.resetQueries();
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(recheckStatements(t.queries).length).toBeGreaterThanOrEqual(2);
    expect(feed.closedWith()).toBeNull();
    await feed.dispose();
  });

  it('reads every open credential in one statement per interval, however many sockets', async () => {
    const members = await Promise.all(Array.from({ length: 10 }, aMember));
    const tokens = await Promise.all(
      members.slice(0, 5).map(async (m) => signTestJwt({ ...(await claimsOf(t.app.orm, m)), role: 'VIEWER' })),
    );
    // 10 keys and 5 JWT members, two sockets each.
    const credentials = [...members.map((m) => m.apiKey), ...tokens];
    const sockets = await Promise.all([...credentials, ...credentials].map((key) => RawSocket.open(t.app.url, key)));
    expect(sockets.every((s) => s.of('connection_ack').length === 1)).toBe(true);

    t.resetQueries();
    await new Promise((resolve) => setTimeout(resolve, 3_200));

    // 3 or 4 ticks of a 1 s interval for 30 sockets; the auth lookups read `where k.hash`, not these.
    const rechecks = recheckStatements(t.queries).length;
    expect(rechecks).toBeGreaterThanOrEqual(2);
    expect(rechecks).toBeLessThanOrEqual(4);
    expect(t.queries.filter((q) => /api_key|membership/.test(q))).toHaveLength(rechecks);
    for (const socket of sockets) socket.close();
  });
});

describe.skipIf(!redisUrl)('the pub/sub subscriber reconnecting re-checks open sockets and forgets cached keys', () => {
  it('closes a socket of a key revoked without a message, once the subscriber is back', async () => {
    // An interval far beyond the test: only the reconnection can close the socket.
    const t = await startTestApp({ redisUrl, credentialRecheckSeconds: 3600, authCacheTtlSeconds: 300 });
    const member = await createMember(t.app.orm, Role.VIEWER);
    const client = t.client(member.apiKey);
    await client.data(CompetitionsDocument); // its principal is cached from here on
    const feed = await openFeed(t, client);

    // Revoked while no message can say so: the principal stays cached and the socket open.
    await sql(t, 'update api_key set revoked_at = now() where id = ?', [member.apiKeyId]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(feed.closedWith()).toBeNull();
    expect((await client.request(CompetitionsDocument)).errors).toBeUndefined();

    // Cut this app's subscriber connection (named after the namespace); ioredis reconnects.
    const admin = new Redis(redisUrl!);
    try {
      const clients = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const line = clients.split('\n').find((l) => l.includes(` name=${t.config.redisNamespace}:subscribe `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
    } finally {
      admin.disconnect();
    }
    await until(() => feed.closedWith() !== null, 3_000);

    expect(feed.closedWith()).toMatchObject({ code: 4403 });
    expect(await client.errorCodes(CompetitionsDocument)).toEqual(['UNAUTHENTICATED']);
  });
});
