import path from 'node:path';
import type { Orm } from '../../src/db/orm';
import { MatchStatus } from '../../src/matches/match.enums';
import { importFiles } from '../../src/matches/import/import-files';
import { fromGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/tenants/role';
import { addOdds, addPrediction, createLeague, createMatches, createMember } from './factories';

const demoSeason = path.resolve(__dirname, '../../demo-data/E0_2425.csv');

/**
 * Puts rows in every table of a freshly migrated database: a season of the demo data through
 * the importer, then tenants, predictions and the tenant-side tables through factories and SQL.
 */
export async function populate(orm: Orm): Promise<void> {
  const summary = await importFiles(orm, [demoSeason]);
  if (summary.failedFiles > 0) throw new Error(`demo import failed: ${JSON.stringify(summary)}`);
  const owner = await createMember(orm, Role.OWNER);
  await createMember(orm, Role.VIEWER, { tenantId: owner.tenantId });
  const league = await createLeague(orm, 2);
  const [home, away] = league.teams;
  const [matchGid] = await createMatches(orm, league, [
    {
      home: home!.id,
      away: away!.id,
      kickoff: new Date('2030-09-01T15:00:00Z'),
      status: MatchStatus.FINISHED,
      homeGoals: 2,
      awayGoals: 1,
    },
  ]);
  const matchId = Number(fromGlobalId(matchGid!).id);
  const predictionId = await addPrediction(orm, matchId, { homeWin: 0.5, draw: 0.3, awayWin: 0.2 });
  await addOdds(orm, matchId, 'Test Bookmaker', [1.9, 3.4, 4.2]);
  const sql = (query: string, params: unknown[] = []) => orm.em.getConnection().execute(query, params);
  await sql(
    `insert into match_event (match_id, type, minute, team_id, source, external_id, created_at)
     values (?, 'GOAL', 12, ?, 'test', ?, now())`,
    [matchId, home!.id, `goal-${matchId}`],
  );
  await sql(
    `insert into live_update (match_id, seq, competition_id, kind, payload, created_at)
     select m.id, 1, s.competition_id, 'MATCH_CHANGED', json_build_object('match', json_build_object('id', m.id)), now()
       from match m join season s on s.id = m.season_id where m.id = ?`,
    [matchId],
  );
  await sql(`insert into watchlist_item (tenant_id, team_id, created_at) values (?, ?, now())`, [
    owner.tenantId,
    home!.id,
  ]);
  const [rule] = await sql(
    `insert into alert_rule (tenant_id, kind, threshold, scope, match_id, created_at, updated_at)
     values (?, 'HOME_WIN_ABOVE', 0.4, 'MATCH', ?, now(), now()) returning id`,
    [owner.tenantId, matchId],
  );
  await sql(
    `insert into alert_event (tenant_id, rule_id, match_id, prediction_id, kind, threshold, "values", fired_at)
     values (?, ?, ?, ?, 'HOME_WIN_ABOVE', 0.4, '{"homeWin": 0.5}', now())`,
    [owner.tenantId, rule.id, matchId, predictionId],
  );
  // A tenant's custom model and one prediction of it, private to that tenant.
  const [model] = await sql(
    `insert into custom_model (tenant_id, name, base_models, weights, revision, created_at, updated_at)
     values (?, 'populated', '{elo,pi-ratings}', '{0.25,0.75}', 1, now(), now()) returning id`,
    [owner.tenantId],
  );
  await sql(
    `insert into prediction (match_id, tenant_id, custom_model_id, model_name, model_version, home_win, draw, away_win,
                             expected_home_goals, expected_away_goals, created_at)
     values (?, ?, ?, 'custom/populated', 'r1', 0.5, 0.3, 0.2, 1.4, 1.1, now())`,
    [matchId, owner.tenantId, model.id],
  );
  await sql(
    `insert into tenant_usage (tenant_id, day, operation_type, operations, cost) values (?, current_date, 'QUERY', 3, 42)`,
    [owner.tenantId],
  );
  await sql(
    `insert into audit_log (tenant_id, user_id, action, entity_type, entity_id, data, created_at)
     values (?, ?, 'test', 'Match', ?, '{"note": "populated"}', now())`,
    [owner.tenantId, owner.userId, String(matchId)],
  );
  await sql(
    `insert into ingest_source (name, secret, created_at, secret_rotated_at) values (?, 'whsec_populated', now(), now())`,
    [`populated-${owner.tenantId}`],
  );
}
