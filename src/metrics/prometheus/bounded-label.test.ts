import { describe, expect, it } from 'vitest';
import { statementKind } from './app-metrics';
import { BoundedLabel, OTHER } from './bounded-label';

describe('BoundedLabel', () => {
  it('keeps the first values seen and counts every later one as other, for good', () => {
    const label = new BoundedLabel(2);
    expect(['a', 'b', 'c', 'a', 'd', 'b'].map((v) => label.of(v))).toEqual(['a', 'b', OTHER, 'a', OTHER, 'b']);
  });

  it('counts a value longer than its limit as other, without spending a place on it', () => {
    const label = new BoundedLabel(1, 5);
    expect(label.of('toolong')).toBe(OTHER);
    expect(label.of('short')).toBe('short');
  });
});

describe('statementKind', () => {
  it('labels a statement by its first keyword, from a closed set', () => {
    expect(statementKind('select 1')).toBe('select');
    expect(statementKind('  WITH inserted as (insert …) select …')).toBe('with');
    expect(statementKind('(select 1) union all (select 2)')).toBe('select');
    expect(statementKind('BEGIN;')).toBe('begin');
    expect(statementKind('release savepoint trx1')).toBe('savepoint');
    expect(statementKind('set local statement_timeout = 0')).toBe('other');
    expect(statementKind('')).toBe('other');
  });
});
