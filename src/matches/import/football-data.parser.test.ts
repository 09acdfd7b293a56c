import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeFile,
  decodeFootballDataBytes,
  parseFootballDataCsv,
  readFootballDataFile,
  type ParsedFile,
} from './football-data.parser';
import { parseKickoffTime, parseMatchDate, zonedTimeToUtc } from './football-data.dates';
import { parseHandicapLine, parsePrice } from './football-data.odds';

const META = { competitionCode: 'premier-league', seasonLabel: '2023/24' };
const parse = (text: string): ParsedFile => parseFootballDataCsv(text, META);
const csv = (...lines: string[]): string => lines.join('\n') + '\n';

const BASIC_HEADER = 'Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,HTR';

describe('parseFootballDataCsv: structure', () => {
  it('strips a UTF-8 BOM so the first header column is found', () => {
    const result = parse('\uFEFF' + csv('Date,HomeTeam,AwayTeam,FTHG,FTAG', '2023-08-11,Burnley,Man City,0,3'));
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      homeTeam: 'Burnley',
      awayTeam: 'Man City',
      homeGoals: 0,
      awayGoals: 3,
    });
  });

  it('echoes competition and season from meta', () => {
    const result = parse(csv('Date,HomeTeam,AwayTeam,FTHG,FTAG'));
    expect(result).toEqual({ ...META, rows: [], errors: [] });
  });

  it('skips empty lines and comma-only rows, keeps line numbers of the file, handles CRLF', () => {
    const text = [
      BASIC_HEADER + ',',
      'E0,11/08/23,Burnley,Man City,0,3,A,0,2,A,',
      '',
      ',,,,,,,,,,',
      "E0,12/08/23,Arsenal,Nott'm Forest,2,1,H,2,0,H,",
      ' , ,,,,,,,,',
      '',
    ].join('\r\n');
    const result = parse(text);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.homeTeam, r.awayTeam])).toEqual([
      [2, 'Burnley', 'Man City'],
      [5, 'Arsenal', "Nott'm Forest"],
    ]);
  });

  it('looks columns up by header name, whatever their order', () => {
    const result = parse(csv('FTAG,AwayTeam,FTHG,HomeTeam,Date', '3,Man City,0,Burnley,11/08/2023'));
    expect(result.rows[0]).toMatchObject({
      homeTeam: 'Burnley',
      awayTeam: 'Man City',
      homeGoals: 0,
      awayGoals: 3,
    });
  });

  it('trims team names but keeps their spelling', () => {
    const result = parse(csv('Date,HomeTeam,AwayTeam,FTHG,FTAG', '2023-08-11,  Man United ,Wolves\u00a0,1,0'));
    expect(result.rows[0]).toMatchObject({ homeTeam: 'Man United', awayTeam: 'Wolves' });
  });

  it('reports a header without required columns on the header line', () => {
    const result = parse(csv('Div,Date,HomeTeam,FTHG,FTAG', 'E0,11/08/23,Burnley,0,3'));
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: 1, message: expect.stringContaining('AwayTeam') }]);
  });

  it('reports CSV-level damage (an unclosed quote) as a RowError instead of throwing', () => {
    const result = parse(
      csv('Date,HomeTeam,AwayTeam,FTHG,FTAG', '2023-08-12,Arsenal,Forest,2,1', '2023-08-15,"Luton,Brighton,1,1'),
    );
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.errors).toEqual([{ line: 3, message: expect.stringContaining('unreadable CSV: Quote Not Closed') }]);
  });

  it('reports an empty file', () => {
    expect(parse('').errors).toEqual([{ line: 1, message: 'file has no header row' }]);
    expect(parse('\uFEFF\n\n').errors).toHaveLength(1);
  });

  it('parses scores written as floats (2014/15 EPL file) and rejects fractional ones', () => {
    const result = parse(
      csv(
        BASIC_HEADER,
        'E0,16/08/14,Arsenal,Crystal Palace,2.0,1.0,H,1.0,1.0,D',
        'E0,16/08/14,Leicester,Everton,2.5,2,H,1,1,D',
      ),
    );
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      homeGoals: 2,
      awayGoals: 1,
      halfTimeHomeGoals: 1,
      halfTimeAwayGoals: 1,
    });
    expect(result.errors).toEqual([{ line: 3, message: 'FTHG is not a whole number ("2.5")' }]);
  });
});

describe('parseFootballDataCsv: dates and kick-off', () => {
  const header = 'Date,HomeTeam,AwayTeam,FTHG,FTAG';

  it('reads dd/mm/yy, dd/mm/yyyy and yyyy-mm-dd at midday UTC when there is no Time column', () => {
    const result = parse(
      csv(
        header,
        '18/08/12,Arsenal,Sunderland,0,0',
        '08/08/2015,Bournemouth,Aston Villa,0,1',
        '1993-08-14,Arsenal,Coventry,0,3',
        '15/05/99,Leeds,Derby,2,1',
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.kickoff.toISOString())).toEqual([
      '2012-08-18T12:00:00.000Z',
      '2015-08-08T12:00:00.000Z',
      '1993-08-14T12:00:00.000Z',
      '1999-05-15T12:00:00.000Z',
    ]);
  });

  it('combines Date and Time as Europe/London local time, honouring BST', () => {
    const result = parse(
      csv(
        'Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG',
        'E0,11/08/2023,20:00,Burnley,Man City,0,3', // BST: UTC+1
        'E0,30/12/2023,15:00,Burnley,Liverpool,0,2', // GMT
        'E0,30/03/2024,12:30,Newcastle,West Ham,4,3', // day before the clocks go forward
        'E0,31/03/2024,16:30,Man City,Arsenal,0,0', // the day they do
        'E0,26/10/2024,15:00,Chelsea,Newcastle,2,1', // last BST day
        'E0,27/10/2024,14:00,Arsenal,Liverpool,2,2', // first GMT day
        'E0,20/01/2024,,Brentford,Forest,3,2', // empty time -> midday UTC
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.kickoff.toISOString())).toEqual([
      '2023-08-11T19:00:00.000Z',
      '2023-12-30T15:00:00.000Z',
      '2024-03-30T12:30:00.000Z',
      '2024-03-31T15:30:00.000Z',
      '2024-10-26T14:00:00.000Z',
      '2024-10-27T14:00:00.000Z',
      '2024-01-20T12:00:00.000Z',
    ]);
  });

  it('turns a bad date into a RowError with its line number and carries on', () => {
    const result = parse(
      csv(
        header,
        '11/08/2023,Burnley,Man City,0,3',
        '31/02/2024,Arsenal,Chelsea,1,0',
        '2024-13-01,Everton,Fulham,1,0',
        ',Luton,Brighton,1,1',
        'next tuesday,Spurs,Wolves,1,1',
        '29/02/2024,Wolves,Spurs,2,1',
      ),
    );
    expect(result.rows.map((r) => [r.line, r.homeTeam])).toEqual([
      [2, 'Burnley'],
      [7, 'Wolves'],
    ]);
    expect(result.errors).toEqual([
      { line: 3, message: 'invalid calendar date "31/02/2024"' },
      { line: 4, message: 'invalid calendar date "2024-13-01"' },
      { line: 5, message: 'missing date' },
      { line: 6, message: 'unrecognised date "next tuesday" (expected dd/mm/yy, dd/mm/yyyy or yyyy-mm-dd)' },
    ]);
  });

  it('rejects an impossible kick-off time', () => {
    const result = parse(csv('Date,Time,HomeTeam,AwayTeam,FTHG,FTAG', '11/08/2023,25:00,Burnley,Man City,0,3'));
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: 2, message: 'invalid kick-off time "25:00" (expected HH:MM)' }]);
  });
});

describe('parseFootballDataCsv: scores and teams', () => {
  it('errors on negative goals and continues', () => {
    const result = parse(
      csv(BASIC_HEADER, 'E0,11/08/23,Burnley,Man City,-1,3,A,0,2,A', 'E0,12/08/23,Arsenal,Forest,2,1,H,2,0,H'),
    );
    expect(result.errors).toEqual([{ line: 2, message: 'FTHG is negative ("-1")' }]);
    expect(result.rows.map((r) => r.line)).toEqual([3]);
  });

  it('gives null goals for a fixture without a score, not an error', () => {
    const result = parse(csv(BASIC_HEADER, 'E0,24/05/25,Spurs,Brighton,,,,,,'));
    expect(result.errors).toEqual([]);
    expect(result.rows[0]).toMatchObject({
      homeGoals: null,
      awayGoals: null,
      halfTimeHomeGoals: null,
      halfTimeAwayGoals: null,
    });
  });

  it('reports several problems of one row together', () => {
    const result = parse(csv(BASIC_HEADER, 'E0,11/08/23,,Man City,2,x,A,0,2,A', 'E0,11/08/23,Luton,Luton,1,,A,3,0,H'));
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([
      { line: 2, message: 'missing home team (HomeTeam); FTAG is not a number ("x")' },
      {
        line: 3,
        message: 'home and away team are both "Luton"; incomplete full-time score: FTAG is empty',
      },
    ]);
  });

  it('rejects a half-time score above the full-time score', () => {
    const result = parse(csv(BASIC_HEADER, 'E0,11/08/23,Burnley,Man City,0,3,A,1,0,H'));
    expect(result.errors).toEqual([{ line: 2, message: 'half-time score 1-0 exceeds full-time score 0-3' }]);
  });

  it('reads shots, shots on target and red cards when present, leaves stats out otherwise', () => {
    const result = parse(
      csv(
        'Date,HomeTeam,AwayTeam,FTHG,FTAG,HS,AS,HST,AST,HF,AF,HR,AR',
        '2023-08-11,Burnley,Man City,0,3,6,17,1,8,11,8,1,0',
        '1993-08-14,Arsenal,Coventry,0,3,,,,,,,,',
        '1993-08-14,Leeds,Derby,1,1,12,,x,,,,,',
      ),
    );
    expect(result.rows[0].stats).toEqual({
      homeShots: 6,
      awayShots: 17,
      homeShotsOnTarget: 1,
      awayShotsOnTarget: 8,
      homeRedCards: 1,
      awayRedCards: 0,
    });
    expect(result.rows[1].stats).toBeUndefined();
    expect(result.rows[2].stats).toEqual({ homeShots: 12 });
  });
});

describe('parseFootballDataCsv: odds', () => {
  it('maps 2019/20+ columns: opening/closing 1X2, over/under and Asian handicap', () => {
    const header =
      'Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,B365H,B365D,B365A,PSH,PSD,PSA,MaxH,MaxD,MaxA,AvgH,AvgD,AvgA,' +
      'B365>2.5,B365<2.5,P>2.5,P<2.5,Avg>2.5,Avg<2.5,AHh,B365AHH,B365AHA,PAHH,PAHA,AvgAHH,AvgAHA,' +
      'PSCH,PSCD,PSCA,AvgCH,AvgCD,AvgCA,PC>2.5,PC<2.5,AHCh,PCAHH,PCAHA';
    const row =
      'E0,11/08/2023,20:00,Burnley,Man City,0,3,8,5.5,1.33,8.75,5.25,1.34,9.5,5.75,1.36,8.4,5.4,1.34,' +
      '1.44,2.75,1.45,2.85,1.43,2.76,1.5,1.95,1.95,1.96,1.95,1.94,1.93,' +
      '9.5,5.8,1.32,8.9,5.6,1.33,1.36,3.3,1.75,1.93,1.97';
    const [parsed] = parse(csv(header, row)).rows;
    expect(parsed.odds).toEqual([
      { bookmaker: 'pinnacle', market: '1X2', line: null, prices: [8.75, 5.25, 1.34], closing: false },
      { bookmaker: 'pinnacle', market: '1X2', line: null, prices: [9.5, 5.8, 1.32], closing: true },
      { bookmaker: 'bet365', market: '1X2', line: null, prices: [8, 5.5, 1.33], closing: false },
      { bookmaker: 'market-average', market: '1X2', line: null, prices: [8.4, 5.4, 1.34], closing: false },
      { bookmaker: 'market-average', market: '1X2', line: null, prices: [8.9, 5.6, 1.33], closing: true },
      { bookmaker: 'market-max', market: '1X2', line: null, prices: [9.5, 5.75, 1.36], closing: false },
      { bookmaker: 'pinnacle', market: 'OVER_UNDER_2_5', line: 2.5, prices: [1.45, 2.85], closing: false },
      { bookmaker: 'pinnacle', market: 'OVER_UNDER_2_5', line: 2.5, prices: [1.36, 3.3], closing: true },
      { bookmaker: 'bet365', market: 'OVER_UNDER_2_5', line: 2.5, prices: [1.44, 2.75], closing: false },
      {
        bookmaker: 'market-average',
        market: 'OVER_UNDER_2_5',
        line: 2.5,
        prices: [1.43, 2.76],
        closing: false,
      },
      { bookmaker: 'pinnacle', market: 'ASIAN_HANDICAP', line: 1.5, prices: [1.96, 1.95], closing: false },
      { bookmaker: 'pinnacle', market: 'ASIAN_HANDICAP', line: 1.75, prices: [1.93, 1.97], closing: true },
      { bookmaker: 'bet365', market: 'ASIAN_HANDICAP', line: 1.5, prices: [1.95, 1.95], closing: false },
      {
        bookmaker: 'market-average',
        market: 'ASIAN_HANDICAP',
        line: 1.5,
        prices: [1.94, 1.93],
        closing: false,
      },
    ]);
  });

  it('maps pre-2019/20 Betbrain columns and the PH/PD/PA Pinnacle alias', () => {
    const header =
      'Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,PH,PD,PA,BbMxH,BbAvH,BbMxD,BbAvD,BbMxA,BbAvA,' +
      'BbMx>2.5,BbAv>2.5,BbMx<2.5,BbAv<2.5,BbAHh,BbMxAHH,BbAvAHH,BbMxAHA,BbAvAHA';
    const row =
      'E0,18/08/12,Arsenal,Sunderland,0,0,1.44,4.76,8.5,1.45,1.4,4.8,4.6,10,8.4,1.8,1.75,2.1,2.05,-1.25,2.01,1.98,1.95,1.92';
    const [parsed] = parse(csv(header, row)).rows;
    expect(parsed.odds).toEqual([
      { bookmaker: 'pinnacle', market: '1X2', line: null, prices: [1.44, 4.76, 8.5], closing: false },
      { bookmaker: 'market-average', market: '1X2', line: null, prices: [1.4, 4.6, 8.4], closing: false },
      { bookmaker: 'market-max', market: '1X2', line: null, prices: [1.45, 4.8, 10], closing: false },
      {
        bookmaker: 'market-average',
        market: 'OVER_UNDER_2_5',
        line: 2.5,
        prices: [1.75, 2.05],
        closing: false,
      },
      { bookmaker: 'market-max', market: 'OVER_UNDER_2_5', line: 2.5, prices: [1.8, 2.1], closing: false },
      {
        bookmaker: 'market-average',
        market: 'ASIAN_HANDICAP',
        line: -1.25,
        prices: [1.98, 1.92],
        closing: false,
      },
      {
        bookmaker: 'market-max',
        market: 'ASIAN_HANDICAP',
        line: -1.25,
        prices: [2.01, 1.95],
        closing: false,
      },
    ]);
  });

  it('skips a group with a missing, zero, non-numeric or <= 1 price, or a bad handicap line', () => {
    const header =
      'Date,HomeTeam,AwayTeam,FTHG,FTAG,B365H,B365D,B365A,PSCH,PSCD,PSCA,B365C>2.5,B365C<2.5,AvgCH,AvgCD,AvgCA,AHh,PAHH,PAHA';
    const rows = [
      '2021-08-13,Brentford,Arsenal,2,0,4,3.4,,4.1,3.5,1.9,0,0,1,3.4,4,x,1.9,2',
      '2021-08-14,Burnley,Brighton,1,2,2.5,3.2,N/A,1.05,12,40,2.1,1.75,3.1,3.3,2.4,-0.3,1.9,2',
    ];
    const result = parse(csv(header, ...rows));
    expect(result.errors).toEqual([]);
    expect(result.rows[0].odds).toEqual([
      { bookmaker: 'pinnacle', market: '1X2', line: null, prices: [4.1, 3.5, 1.9], closing: true },
    ]);
    expect(result.rows[1].odds).toEqual([
      { bookmaker: 'pinnacle', market: '1X2', line: null, prices: [1.05, 12, 40], closing: true },
      { bookmaker: 'market-average', market: '1X2', line: null, prices: [3.1, 3.3, 2.4], closing: true },
      { bookmaker: 'bet365', market: 'OVER_UNDER_2_5', line: 2.5, prices: [2.1, 1.75], closing: true },
    ]);
  });

  it('has no odds for a results-only file', () => {
    const result = parse(csv('Date,HomeTeam,AwayTeam,FTHG,FTAG', '2023-08-11,Burnley,Man City,0,3'));
    expect(result.rows[0].odds).toEqual([]);
  });
});

describe('field helpers', () => {
  it('picks the century of two-digit years', () => {
    expect(parseMatchDate('01/01/49')).toEqual({ year: 2049, month: 1, day: 1 });
    expect(parseMatchDate('01/01/50')).toEqual({ year: 1950, month: 1, day: 1 });
    expect(parseMatchDate('7/8/93')).toEqual({ year: 1993, month: 8, day: 7 });
    expect(() => parseMatchDate('29/02/23')).toThrow('invalid calendar date');
    expect(parseMatchDate('29/02/24')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('parses kick-off times and converts zones', () => {
    expect(parseKickoffTime('09:05')).toEqual({ hour: 9, minute: 5 });
    expect(() => parseKickoffTime('12:60')).toThrow();
    expect(
      zonedTimeToUtc({ year: 2024, month: 7, day: 1 }, { hour: 20, minute: 0 }, 'Europe/Madrid').toISOString(),
    ).toBe('2024-07-01T18:00:00.000Z');
  });

  it('validates prices and handicap lines', () => {
    expect(parsePrice('1.01')).toBe(1.01);
    expect(parsePrice('1')).toBeNull();
    expect(parsePrice('')).toBeNull();
    expect(parsePrice(undefined)).toBeNull();
    expect(parsePrice('abc')).toBeNull();
    expect(parseHandicapLine('-0.25')).toBe(-0.25);
    expect(parseHandicapLine('0')).toBe(0);
    expect(Object.is(parseHandicapLine('-0'), 0)).toBe(true);
    expect(parseHandicapLine('0.3')).toBeNull();
  });

  it('decodes UTF-8 and falls back to Windows-1252', () => {
    expect(decodeFootballDataBytes(Buffer.from('Köln', 'utf8'))).toBe('Köln');
    expect(decodeFootballDataBytes(Buffer.from([0x4b, 0xf6, 0x6c, 0x6e]))).toBe('Köln');
  });
});

describe('describeFile', () => {
  it('reads the results/<league>/season-YYZZ.csv layout', () => {
    expect(describeFile('/work/shared/data/results/premier-league/season-2324.csv')).toEqual({
      competitionCode: 'premier-league',
      seasonLabel: '2023/24',
    });
    expect(describeFile('results/serie-a/season-9900.csv')).toEqual({
      competitionCode: 'serie-a',
      seasonLabel: '1999/00',
    });
    expect(describeFile('C:\\data\\results\\ligue-1\\season-0001.csv')).toEqual({
      competitionCode: 'ligue-1',
      seasonLabel: '2000/01',
    });
  });

  it('reads the football-data <Div>_YYZZ.csv layout', () => {
    expect(describeFile('/x/football-data-epl/E0_2324.csv')).toEqual({
      competitionCode: 'premier-league',
      seasonLabel: '2023/24',
    });
    expect(describeFile('SP1_1920.csv')).toEqual({ competitionCode: 'la-liga', seasonLabel: '2019/20' });
    expect(describeFile('I1_9394.csv').competitionCode).toBe('serie-a');
    expect(describeFile('D1_0506.csv').competitionCode).toBe('bundesliga');
    expect(describeFile('F1_1213.csv').competitionCode).toBe('ligue-1');
  });

  it('throws a clear error for unknown names', () => {
    expect(() => describeFile('E1_2324.csv')).toThrow(/Unknown football-data division "E1".*E0, SP1, I1, D1, F1/);
    expect(() => describeFile('results/eredivisie/season-2324.csv')).toThrow(/Unknown league folder "eredivisie"/);
    expect(() => describeFile('season-2324.csv')).toThrow(/Unknown league folder/);
    expect(() => describeFile('E0_2325.csv')).toThrow(/not two consecutive years/);
    expect(() => describeFile('matches.csv')).toThrow(/Unrecognised football-data file name "matches.csv"/);
  });
});

const DATA_DIR = path.resolve(__dirname, '../../../../shared/data');

describe.skipIf(!fs.existsSync(DATA_DIR))('real data in shared/data', () => {
  const csvFiles = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((entry) =>
            entry.isDirectory()
              ? csvFiles(path.join(dir, entry.name))
              : entry.name.endsWith('.csv')
                ? [path.join(dir, entry.name)]
                : [],
          )
          .sort()
      : [];

  /** Season window: 1 July of the first year to 31 August of the second (2019/20 ran into August). */
  const inSeason = (kickoff: Date, seasonLabel: string): boolean => {
    const startYear = Number(seasonLabel.slice(0, 4));
    return kickoff >= new Date(Date.UTC(startYear, 6, 1)) && kickoff < new Date(Date.UTC(startYear + 1, 8, 1));
  };

  /** Ranked probability score of one 1X2 forecast (probabilities home/draw/away). */
  const rps = (p: number[], homeGoals: number, awayGoals: number): number => {
    const outcome = homeGoals > awayGoals ? [1, 0, 0] : homeGoals === awayGoals ? [0, 1, 0] : [0, 0, 1];
    const c1 = p[0] - outcome[0];
    const c2 = p[0] + p[1] - outcome[0] - outcome[1];
    return (c1 * c1 + c2 * c2) / 2;
  };

  it('parses every EPL football-data season: 380 rows, no errors, Pinnacle closing 1X2 for nearly every match', async () => {
    const files = csvFiles(path.join(DATA_DIR, 'football-data-epl'));
    expect(files.length).toBeGreaterThan(0);
    const summary: string[] = [];
    let rpsSum = 0;
    let rpsCount = 0;
    for (const file of files) {
      const parsed = await readFootballDataFile(file);
      for (const error of parsed.errors) console.log(`${file}:${error.line}: ${error.message}`);
      let withClosingPinnacle = 0;
      let oddsCount = 0;
      let badOdds = 0;
      for (const row of parsed.rows) {
        oddsCount += row.odds.length;
        badOdds += row.odds.filter(
          (o) => o.prices.length !== (o.market === '1X2' ? 3 : 2) || o.prices.some((p) => !(p > 1)),
        ).length;
        const closing = row.odds.find((o) => o.bookmaker === 'pinnacle' && o.market === '1X2' && o.closing);
        if (!closing || row.homeGoals === null || row.awayGoals === null) continue;
        withClosingPinnacle += 1;
        const implied = closing.prices.map((price) => 1 / price);
        const total = implied.reduce((a, b) => a + b, 0);
        rpsSum += rps(
          implied.map((p) => p / total),
          row.homeGoals,
          row.awayGoals,
        );
        rpsCount += 1;
      }
      summary.push(
        `${path.basename(file)} ${parsed.seasonLabel}: rows=${parsed.rows.length} errors=${parsed.errors.length} ` +
          `pinnacleClosing1X2=${withClosingPinnacle} odds=${oddsCount}`,
      );
      expect(parsed.competitionCode).toBe('premier-league');
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows).toHaveLength(380);
      expect(withClosingPinnacle).toBeGreaterThanOrEqual(0.98 * parsed.rows.length);
      expect(badOdds).toBe(0);
      expect(parsed.rows.every((r) => inSeason(r.kickoff, parsed.seasonLabel))).toBe(true);
    }
    const meanRps = rpsSum / rpsCount;
    console.log(`${summary.join('\n')}\nPinnacle closing RPS over ${rpsCount} matches: ${meanRps.toFixed(4)}`);
    // data/README.md: 0.1927 over all 4,940 matches; a swapped home/away column would be far off.
    if (files.length === 13) expect(meanRps).toBeCloseTo(0.1927, 3);
  });

  it('parses every results/ file with (almost) no errors', async () => {
    const files = csvFiles(path.join(DATA_DIR, 'results'));
    expect(files.length).toBeGreaterThan(0);
    let rows = 0;
    let errors = 0;
    for (const file of files) {
      const parsed = await readFootballDataFile(file);
      rows += parsed.rows.length;
      errors += parsed.errors.length;
      for (const error of parsed.errors) console.log(`${file}:${error.line}: ${error.message}`);
      expect(parsed.competitionCode).toBe(path.basename(path.dirname(file)));
      expect(parsed.errors.length).toBeLessThanOrEqual(Math.ceil(0.005 * parsed.rows.length));
      expect(parsed.rows.length).toBeGreaterThanOrEqual(250);
      expect(parsed.rows.every((r) => inSeason(r.kickoff, parsed.seasonLabel))).toBe(true);
    }
    console.log(`results/: ${files.length} files, ${rows} rows, ${errors} errors`);
  });

  it('agrees with results/premier-league on the seasons both hold', async () => {
    const epl = csvFiles(path.join(DATA_DIR, 'football-data-epl'));
    for (const file of epl) {
      const yyzz = /E0_(\d{4})\.csv$/.exec(file)?.[1];
      const resultsFile = path.join(DATA_DIR, 'results', 'premier-league', `season-${yyzz}.csv`);
      if (!fs.existsSync(resultsFile)) continue;
      const key = (r: {
        kickoff: Date;
        homeTeam: string;
        awayTeam: string;
        homeGoals: number | null;
        awayGoals: number | null;
      }) => `${r.kickoff.toISOString().slice(0, 10)} ${r.homeTeam} ${r.homeGoals}-${r.awayGoals} ${r.awayTeam}`;
      const a = (await readFootballDataFile(file)).rows.map(key).sort();
      const b = (await readFootballDataFile(resultsFile)).rows.map(key).sort();
      expect(a, path.basename(file)).toEqual(b);
    }
  });
});
