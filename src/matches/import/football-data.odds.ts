/**
 * Bookmaker odds columns of football-data.co.uk CSV files, as a data-driven table.
 *
 * Column names differ between seasons: up to 2018/19 the market figures come from Betbrain
 * (`BbAvH`, `BbMx>2.5`, `BbAHh`, ...), from 2019/20 from football-data's own collection
 * (`AvgH`, `Max>2.5`, `AHh`, ...) with closing variants (`AvgCH`, `PC>2.5`, `AHCh`, ...).
 * Each group below lists the alternative column sets for one (bookmaker, market, closing)
 * triple; for every row the first alternative whose prices are all valid wins.
 */

export type OddsMarket = '1X2' | 'OVER_UNDER_2_5' | 'ASIAN_HANDICAP';

export interface ParsedOdds {
  /** `pinnacle`, `bet365`, `market-average` or `market-max`. */
  bookmaker: string;
  market: OddsMarket;
  /** Asian handicap of the home team (e.g. -0.75), 2.5 for over/under, null for 1X2. */
  line: number | null;
  /** Decimal odds: 1X2 [home, draw, away]; over/under [over, under]; Asian handicap [home, away]. */
  prices: number[];
  /** True for closing odds (`PSCH`, `AvgC>2.5`, `PCAHH`, ...), false for the earlier ones. */
  closing: boolean;
}

/** One way of reading a group from a file: its price columns and, for Asian handicap, the line column. */
export interface OddsColumnSource {
  /** Column names in the order of {@link ParsedOdds.prices}. */
  prices: readonly string[];
  /** Column holding the handicap line (Asian handicap only). */
  lineColumn?: string;
}

export interface OddsColumnGroup {
  bookmaker: string;
  market: OddsMarket;
  closing: boolean;
  /** Alternatives, most preferred first. */
  sources: readonly OddsColumnSource[];
}

const OVER_UNDER_LINE = 2.5;

const oneXTwo = (prefix: string): OddsColumnSource => ({
  prices: [`${prefix}H`, `${prefix}D`, `${prefix}A`],
});
const overUnder = (prefix: string): OddsColumnSource => ({
  prices: [`${prefix}>2.5`, `${prefix}<2.5`],
});
const asianHandicap = (prefix: string, lineColumn: string): OddsColumnSource => ({
  prices: [`${prefix}AHH`, `${prefix}AHA`],
  lineColumn,
});

function group(
  bookmaker: string,
  market: OddsMarket,
  closing: boolean,
  ...sources: OddsColumnSource[]
): OddsColumnGroup {
  return { bookmaker, market, closing, sources };
}

/**
 * Every odds group the importer reads. Line columns: `AHh` (2019/20 on, opening), `AHCh`
 * (closing) and Betbrain's `BbAHh` (up to 2018/19). `PH/PD/PA` is the Pinnacle name of
 * some older football-data files, `BbAv`/`BbMx` the pre-2019/20 market average/maximum.
 */
export const ODDS_COLUMN_GROUPS: readonly OddsColumnGroup[] = [
  group('pinnacle', '1X2', false, oneXTwo('PS'), oneXTwo('P')),
  group('pinnacle', '1X2', true, oneXTwo('PSC')),
  group('bet365', '1X2', false, oneXTwo('B365')),
  group('bet365', '1X2', true, oneXTwo('B365C')),
  group('market-average', '1X2', false, oneXTwo('Avg'), oneXTwo('BbAv')),
  group('market-average', '1X2', true, oneXTwo('AvgC')),
  group('market-max', '1X2', false, oneXTwo('Max'), oneXTwo('BbMx')),
  group('market-max', '1X2', true, oneXTwo('MaxC')),

  group('pinnacle', 'OVER_UNDER_2_5', false, overUnder('P')),
  group('pinnacle', 'OVER_UNDER_2_5', true, overUnder('PC')),
  group('bet365', 'OVER_UNDER_2_5', false, overUnder('B365')),
  group('bet365', 'OVER_UNDER_2_5', true, overUnder('B365C')),
  group('market-average', 'OVER_UNDER_2_5', false, overUnder('Avg'), overUnder('BbAv')),
  group('market-average', 'OVER_UNDER_2_5', true, overUnder('AvgC')),
  group('market-max', 'OVER_UNDER_2_5', false, overUnder('Max'), overUnder('BbMx')),
  group('market-max', 'OVER_UNDER_2_5', true, overUnder('MaxC')),

  group('pinnacle', 'ASIAN_HANDICAP', false, asianHandicap('P', 'AHh')),
  group('pinnacle', 'ASIAN_HANDICAP', true, asianHandicap('PC', 'AHCh')),
  group('bet365', 'ASIAN_HANDICAP', false, asianHandicap('B365', 'AHh')),
  group('bet365', 'ASIAN_HANDICAP', true, asianHandicap('B365C', 'AHCh')),
  group('market-average', 'ASIAN_HANDICAP', false, asianHandicap('Avg', 'AHh'), asianHandicap('BbAv', 'BbAHh')),
  group('market-average', 'ASIAN_HANDICAP', true, asianHandicap('AvgC', 'AHCh')),
  group('market-max', 'ASIAN_HANDICAP', false, asianHandicap('Max', 'AHh'), asianHandicap('BbMx', 'BbAHh')),
  group('market-max', 'ASIAN_HANDICAP', true, asianHandicap('MaxC', 'AHCh')),
];

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A decimal price, or null when empty, not a number or not above 1 (e.g. the `0` placeholders). */
export function parsePrice(raw: string | undefined): number | null {
  const text = raw?.trim() ?? '';
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 1 ? value : null;
}

/** An Asian handicap line: a multiple of 0.25 within ±10, or null. */
export function parseHandicapLine(raw: string | undefined): number | null {
  const text = raw?.trim() ?? '';
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > 10 || !Number.isInteger(value * 4)) return null;
  return value === 0 ? 0 : value; // no -0
}

interface CompiledSource {
  priceIndexes: number[];
  lineIndex: number | null;
}

interface CompiledGroup {
  group: OddsColumnGroup;
  sources: CompiledSource[];
}

/** Reads the cell at a column index of the current row (undefined past its end). */
export type CellReader = (index: number) => string | undefined;

/**
 * Resolves the odds table against one file's header once, and returns a function that
 * extracts a row's odds. Groups whose columns are absent from the file are dropped here;
 * a group is left out of a row when any of its prices (or its line) is missing or invalid.
 */
export function compileOddsExtractor(
  columnIndex: ReadonlyMap<string, number>,
  groups: readonly OddsColumnGroup[] = ODDS_COLUMN_GROUPS,
): (cell: CellReader) => ParsedOdds[] {
  const compiled: CompiledGroup[] = [];
  for (const g of groups) {
    const sources: CompiledSource[] = [];
    for (const source of g.sources) {
      const priceIndexes = source.prices.map((name) => columnIndex.get(name));
      const lineIndex = source.lineColumn === undefined ? null : columnIndex.get(source.lineColumn);
      if (priceIndexes.some((i) => i === undefined) || lineIndex === undefined) continue;
      sources.push({ priceIndexes: priceIndexes as number[], lineIndex });
    }
    if (sources.length > 0) compiled.push({ group: g, sources });
  }

  return (cell) => {
    const odds: ParsedOdds[] = [];
    for (const { group: g, sources } of compiled) {
      for (const source of sources) {
        const prices = source.priceIndexes.map((i) => parsePrice(cell(i)));
        if (prices.some((p) => p === null)) continue;
        let line: number | null = g.market === 'OVER_UNDER_2_5' ? OVER_UNDER_LINE : null;
        if (source.lineIndex !== null) {
          line = parseHandicapLine(cell(source.lineIndex));
          if (line === null) continue;
        }
        odds.push({
          bookmaker: g.bookmaker,
          market: g.market,
          line,
          prices: prices as number[],
          closing: g.closing,
        });
        break;
      }
    }
    return odds;
  };
}
