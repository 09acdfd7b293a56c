import { describe, expect, it } from 'vitest';
import { Role } from '../src/tenants/role';
import { Scope } from '../src/tenants/scope';
import { MatchDetailDocument, MatchUpdatedDocument, RecordMatchEventDocument } from './generated/graphql';
import { createLeague, createMatches, createMember, unique } from './support/factories';
import { Subscription } from './support/graphql-client';
import { startTestApp } from './support/test-app';

describe('resilience', () => {
  it('keeps answering, and recording events, while Redis is unreachable', async () => {
    // Nothing listens on port 1: every cache and pub/sub call fails.
    const t = await startTestApp({ redisUrl: 'redis://127.0.0.1:1' });
    const admin = t.client((await createMember(t.app.orm, Role.ADMIN, { scopes: [Scope.OPERATOR] })).apiKey);
    const league = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    const started = Date.now();
    expect((await admin.data(MatchDetailDocument, { id: matchId! })).match.status).toBe('SCHEDULED');
    const { recordMatchEvent } = await admin.data(RecordMatchEventDocument, {
      input: { matchId: matchId!, type: 'KICK_OFF', minute: 0, source: 'test', externalId: unique() },
    });
    expect(recordMatchEvent.match.status).toBe('LIVE');
    expect((await admin.data(MatchDetailDocument, { id: matchId! })).match.status).toBe('LIVE');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('closes while a subscription is open', async () => {
    const t = await startTestApp();
    const viewer = t.client((await createMember(t.app.orm, Role.VIEWER)).apiKey);
    const league = await createLeague(t.app.orm, 2);
    const [matchId] = await createMatches(t.app.orm, league, [
      { home: league.teams[0]!.id, away: league.teams[1]!.id, kickoff: new Date('2030-09-01T15:00:00Z') },
    ]);
    let closedWith: number | undefined;
    const ws = viewer.websocket({ onClosed: (e) => (closedWith = e.code) });
    const subscription = new Subscription(ws, MatchUpdatedDocument, { matchId: matchId! });
    await new Promise((r) => setTimeout(r, 200));
    const closing = t.app.close().then(() => 'closed');
    const timeout = new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000));
    expect(await Promise.race([closing, timeout])).toBe('closed');
    expect(closedWith).toBe(1001);
    subscription.close();
    await ws.dispose();
  });
});
