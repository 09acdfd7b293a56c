import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import {
  CompetitionsDocument,
  MatchUpdatedDocument,
  RemoveMemberDocument,
  RevokeApiKeyDocument,
} from '../generated/graphql';
import { createLeague, createMatches, createMember, type Member } from '../support/factories';
import { Subscription, type GraphqlClient } from '../support/graphql-client';
import { redisUrlForTests } from '../support/redis';
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
