import { InvalidFieldError } from './football-data.errors';

/** A calendar day with no time of day or zone attached. `month` is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock time of day, `hour` 0-23. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

/**
 * Time zone of football-data.co.uk's `Time` column: kick-off times are UK local time for
 * every league they publish.
 */
export const FOOTBALL_DATA_TIME_ZONE = 'Europe/London';

/** UTC hour used for matches whose file has no kick-off time (before 2019/20, results/). */
export const DEFAULT_KICKOFF_HOUR_UTC = 12;

/**
 * Two-digit years below this pivot are 20yy, the others 19yy: `12` -> 2012, `93` -> 1993.
 * football-data.co.uk's data starts in 1993, so the pivot is safe until 2050.
 */
export const TWO_DIGIT_YEAR_PIVOT = 50;

/** Football matches with recorded results start in the 1870s; anything outside is a typo. */
const MIN_YEAR = 1870;
const MAX_YEAR = 2199;

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Expands a two-digit year with the {@link TWO_DIGIT_YEAR_PIVOT}. */
export function expandTwoDigitYear(yy: number): number {
  return yy < TWO_DIGIT_YEAR_PIVOT ? 2000 + yy : 1900 + yy;
}

/** True when year/month/day name a day that exists (no 31/04, 29/02 only in leap years). */
export function isRealCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * Parses a match date in one of the three formats found in football-data files:
 * `dd/mm/yy` (two-digit year, see {@link expandTwoDigitYear}), `dd/mm/yyyy` and ISO
 * `yyyy-mm-dd`. Day and month may have one digit in the slash formats.
 * @throws InvalidFieldError when the text matches no format or is not a real calendar day.
 */
export function parseMatchDate(raw: string): CalendarDate {
  const text = raw.trim();
  if (text === '') throw new InvalidFieldError('missing date');

  let year: number;
  let month: number;
  let day: number;
  const dmy = DMY.exec(text);
  const iso = dmy ? null : ISO.exec(text);
  if (dmy) {
    day = Number(dmy[1]);
    month = Number(dmy[2]);
    year = dmy[3].length === 2 ? expandTwoDigitYear(Number(dmy[3])) : Number(dmy[3]);
  } else if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else {
    throw new InvalidFieldError(`unrecognised date "${text}" (expected dd/mm/yy, dd/mm/yyyy or yyyy-mm-dd)`);
  }
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new InvalidFieldError(`implausible year in date "${text}"`);
  }
  if (!isRealCalendarDate(year, month, day)) {
    throw new InvalidFieldError(`invalid calendar date "${text}"`);
  }
  return { year, month, day };
}

/**
 * Parses a kick-off time `HH:MM` (optionally `HH:MM:SS`, seconds ignored).
 * @throws InvalidFieldError for anything else or an out-of-range hour/minute.
 */
export function parseKickoffTime(raw: string): TimeOfDay {
  const text = raw.trim();
  const match = HHMM.exec(text);
  if (match) {
    const hour = Number(match[1]);
    const minute = Number(match[2]);
    const second = match[3] === undefined ? 0 : Number(match[3]);
    if (hour <= 23 && minute <= 59 && second <= 59) return { hour, minute };
  }
  throw new InvalidFieldError(`invalid kick-off time "${text}" (expected HH:MM)`);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is a programming error, not a data one.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms (BST: +3_600_000). */
export function timeZoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMs));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const wallClockAsUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour') % 24,
    part('minute'),
    part('second'),
  );
  const wholeSecondUtc = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return wallClockAsUtc - wholeSecondUtc;
}

/**
 * Converts a wall-clock date and time in `timeZone` to the UTC instant, honouring daylight
 * saving time (e.g. 15:00 in London is 14:00Z in August and 15:00Z in January).
 * A time that does not exist (skipped by the spring-forward gap) moves forward by the gap;
 * an ambiguous autumn time resolves to one of its two instants. Neither happens for real
 * kick-offs (the switch is at 01:00-02:00).
 */
export function zonedTimeToUtc(date: CalendarDate, time: TimeOfDay, timeZone: string): Date {
  const wallClockAsUtc = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  const firstOffset = timeZoneOffsetMs(wallClockAsUtc, timeZone);
  let utc = wallClockAsUtc - firstOffset;
  const secondOffset = timeZoneOffsetMs(utc, timeZone);
  if (secondOffset !== firstOffset) utc = wallClockAsUtc - secondOffset;
  return new Date(utc);
}

/**
 * Kick-off instant of a match: the local `time` in `timeZone` when the file gives one,
 * otherwise {@link DEFAULT_KICKOFF_HOUR_UTC}:00 UTC on that day (midday UTC keeps the
 * calendar day the same in every European zone).
 */
export function kickoffInstant(
  date: CalendarDate,
  time: TimeOfDay | null,
  timeZone: string = FOOTBALL_DATA_TIME_ZONE,
): Date {
  if (time === null) {
    return new Date(Date.UTC(date.year, date.month - 1, date.day, DEFAULT_KICKOFF_HOUR_UTC));
  }
  return zonedTimeToUtc(date, time, timeZone);
}
