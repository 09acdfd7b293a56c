import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { TeamDocument, TeamsDocument } from '../generated/graphql';
import { createLeague, createMatches, createMember, roundRobin, type League } from '../support/factories';
import type { GraphqlClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let analyst: GraphqlClient;
let league: League;

beforeAll(async () => {
  t = await startTestApp();
  analyst = t.client((await createMember(t.app.orm, Role.ANALYST)).apiKey);
  league = await createLeague(t.app.orm, 5);
  await createMatches(t.app.orm, league, roundRobin(league, new Date('2030-08-10T14:00:00Z')));
});

describe('teams', () => {
  it('lists the teams of a competition by name, page by page', async () => {
    const names: string[] = [];
    let after: string | null | undefined;
    do {
      const { teams } = await analyst.data(TeamsDocument, { filter: { competition: league.code }, first: 2, after });
      expect(teams.totalCount).toBe(5);
      names.push(...teams.edges.map((e) => e.node.name));
      after = teams.pageInfo.hasNextPage ? teams.pageInfo.endCursor : null;
    } while (after);
    expect(names).toEqual(league.teams.map((team) => team.name));
  });

  it('searches names case-insensitively, treating % and _ literally', async () => {
    const suffix = league.teams[3]!.name.split(' ').slice(1).join(' ').toUpperCase();
    const { teams } = await analyst.data(TeamsDocument, { filter: { search: suffix } });
    expect(teams.edges.map((e) => e.node.name)).toEqual([league.teams[3]!.name]);
    const { teams: wildcard } = await analyst.data(TeamsDocument, {
      filter: { search: '%', competition: league.code },
    });
    expect(wildcard.totalCount).toBe(0);
  });

  it('serves a team by ID and NOT_FOUND for an unknown one', async () => {
    const { team } = await analyst.data(TeamDocument, { id: league.teams[0]!.gid });
    expect(team).toMatchObject({ id: league.teams[0]!.gid, name: league.teams[0]!.name, country: 'Testland' });
    expect(await analyst.errorCodes(TeamDocument, { id: toGlobalId('Team', 999_999_999) })).toEqual(['NOT_FOUND']);
  });
});
