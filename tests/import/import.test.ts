import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createOrm, type Orm } from '../../src/db/orm';
import {
  collectCsvFiles,
  formatProgress,
  importFiles,
  type ImportProgress,
} from '../../src/matches/import/import-files';
import { unique } from '../support/factories';

const root = path.resolve(__dirname, '../..');
const epl2425 = path.join(root, 'demo-data/E0_2425.csv');
let orm: Orm;
let tmp: string;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: inject('databaseUrl') });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'matchcast-import-'));
});

afterAll(async () => {
  await orm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await orm.em.getConnection().execute(sql, params);
  return Number(row.count);
}

const seasonMatches = `select count(*) from match m join season s on s.id = m.season_id
  join competition c on c.id = s.competition_id where c.code = 'premier-league' and s.label = ?`;

/** A results/-layout file for a made-up 1998/99 season with team names of its own. */
function resultsFile(rows: string[]): string {
  const dir = path.join(tmp, unique(), 'results', 'premier-league');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'season-9899.csv');
  fs.writeFileSync(file, ['Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,HTR', ...rows].join('\n'));
  return file;
}

describe('football-data import', () => {
  it('imports a real season with its closing odds, and a second import changes nothing', async () => {
    const first = await importFiles(orm, [epl2425]);
    expect(first).toMatchObject({ files: 1, failedFiles: 0, badRows: 0 });
    expect(await count(seasonMatches, ['2024/25'])).toBe(380);
    const [opener] = await orm.em.getConnection().execute(
      `select m.home_goals, m.away_goals, m.status, m.kickoff, o.prices
         from match m join team h on h.id = m.home_team_id join team a on a.id = m.away_team_id
         join odds o on o.match_id = m.id and o.bookmaker = 'pinnacle' and o.market = 'ONE_X_TWO' and o.closing
        where h.name = 'Man United' and a.name = 'Fulham' and m.kickoff::date = '2024-08-16'`,
    );
    expect(opener).toMatchObject({ home_goals: 1, away_goals: 0, status: 'FINISHED' });
    expect(new Date(opener.kickoff).toISOString()).toBe('2024-08-16T19:00:00.000Z'); // 20:00 in London (BST)
    expect(opener.prices).toHaveLength(3);

    const oddsBefore = await count(`select count(*) from odds`);
    const second = await importFiles(orm, [epl2425]);
    expect(second).toMatchObject({ matchesCreated: 0, matchesUpdated: 0, oddsWritten: 0, failedFiles: 0 });
    expect(await count(seasonMatches, ['2024/25'])).toBe(380);
    expect(await count(`select count(*) from odds`)).toBe(oddsBefore);
  });

  it('reports bad rows with file and line and imports the good ones', async () => {
    const id = unique();
    const file = resultsFile([
      `1998-08-15,Alpha ${id},Beta ${id},2,1,H,1,0,H`,
      `1998-02-31,Gamma ${id},Delta ${id},0,0,D,0,0,D`,
      `,,,,,,,,`,
      `1998-08-22,Beta ${id},Alpha ${id},-1,0,A,0,0,D`,
    ]);
    const progress: ImportProgress[] = [];
    const summary = await importFiles(orm, [file], (p) => progress.push(p));
    expect(summary).toMatchObject({ matchesCreated: 1, badRows: 2, failedFiles: 0 });
    const report = formatProgress(progress[0]!);
    expect(report).toContain(`${file}:3: `);
    expect(report).toContain(`${file}:5: `);
    expect(await count(`select count(*) from team where name like ?`, [`% ${id}`])).toBe(2);
  });

  it('rolls back a file that fails to write and goes on with the next', async () => {
    const id = unique();
    const broken = resultsFile([
      `1998-08-15,Epsilon ${id},Zeta ${id},1,1,D,0,0,D`,
      `1998-08-16,${'X'.repeat(140)},Eta ${id},1,1,D,0,0,D`, // longer than team.name allows
    ]);
    const good = resultsFile([`1998-08-15,Theta ${id},Iota ${id},3,0,H,1,0,H`]);
    const summary = await importFiles(orm, [broken, good]);
    expect(summary).toMatchObject({ files: 2, failedFiles: 1, matchesCreated: 1 });
    expect(await count(`select count(*) from team where name in (?, ?)`, [`Epsilon ${id}`, `Zeta ${id}`])).toBe(0);
    expect(await count(`select count(*) from team where name in (?, ?)`, [`Theta ${id}`, `Iota ${id}`])).toBe(2);
  });

  it('never undoes live state, keeps a stored result another source disagrees with, and reports duplicates', async () => {
    const id = unique();
    const fixtures = resultsFile([
      `1998-08-15,Mu ${id},Nu ${id},,,,,,`,
      `1998-08-15,Xi ${id},Omicron ${id},2,0,H,1,0,H`,
      `1998-08-16,Mu ${id},Nu ${id},,,,,,`,
    ]);
    const progress: ImportProgress[] = [];
    await importFiles(orm, [fixtures], (p) => progress.push(p));
    expect(formatProgress(progress[0]!)).toContain(
      `${fixtures}:4: warning: Mu ${id} v Nu ${id} is listed again (first at line 2)`,
    );
    await orm.em.getConnection().execute(
      `update match set status = 'LIVE', minute = 30, home_goals = 1, away_goals = 0
        where home_team_id = (select id from team where name = ?)`,
      [`Mu ${id}`],
    );

    const corrected = resultsFile([
      `1998-08-15,Mu ${id},Nu ${id},,,,,,`,
      `1998-08-15,Xi ${id},Omicron ${id},3,0,H,1,0,H`,
    ]);
    const again: ImportProgress[] = [];
    const summary = await importFiles(orm, [corrected], (p) => again.push(p));
    expect(summary).toMatchObject({ matchesUpdated: 0, warnings: 1 });
    expect(formatProgress(again[0]!)).toContain(
      `${corrected}:3: warning: full-time score 3-0 differs from the stored 2-0`,
    );
    const rows = await orm.em.getConnection().execute(
      `select h.name, m.status, m.home_goals from match m join team h on h.id = m.home_team_id
        where h.name in (?, ?) order by h.name`,
      [`Mu ${id}`, `Xi ${id}`],
    );
    expect(rows).toEqual([
      { name: `Mu ${id}`, status: 'LIVE', home_goals: 1 },
      { name: `Xi ${id}`, status: 'FINISHED', home_goals: 2 },
    ]);
  });

  it('finds CSV files in folders, recursively and in a stable order', () => {
    const files = collectCsvFiles([path.join(root, 'demo-data')]).map((f) => path.relative(root, f));
    expect(files).toEqual([
      'demo-data/E0_2223.csv',
      'demo-data/E0_2324.csv',
      'demo-data/E0_2425.csv',
      'demo-data/premier-league/season-2526.csv',
    ]);
  });

  it('runs as a CLI with progress on stderr', async () => {
    const file = resultsFile([`1998-09-01,Kappa ${unique()},Lambda ${unique()},1,0,H,1,0,H`]);
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/import.ts', '--', file],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' },
      },
    );
    expect(stderr).toContain(`[1/1] ${file}: 1 matches (1 new, 0 updated)`);
    expect(stderr).toMatch(/done in [\d.]+ s: 1 files, 1 matches new/);
  });
});
