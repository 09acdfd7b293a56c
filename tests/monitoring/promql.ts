// Functions, aggregations and keywords of PromQL: identifiers that are not metric names.
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'inf',
  'nan',
]);

/**
 * Metric names a PromQL expression reads: identifiers used as selectors (bare, or followed by `{`
 * or `[`), not functions (followed by `(`), keywords, label names of `by (…)` / `on (…)` clauses,
 * matchers inside `{…}`, strings, durations or Grafana variables. Recording-rule names (with a
 * colon) are returned too: the caller checks they are recorded.
 */
export function metricNamesIn(expr: string): Set<string> {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const start = match.index;
    // Part of a number (1e3) or of a duration (5m) outside brackets: not a name.
    if (start > 0 && /[0-9.]/.test(text[start - 1]!)) continue;
    const next = text.slice(start + name.length).trimStart()[0];
    if (next === '(' || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return names;
}
