import { describe, expect, it } from 'vitest';
import { checkSchemaEvolution } from './schema-evolution';

const released = `
  type Query { match: Match }
  type Match {
    id: ID!
    minute: Int @deprecated(reason: "Use clock. Removed after 2027-03-01.")
    venue: String @deprecated(reason: "Use stadium.")
    score: String
  }
`;

describe('checkSchemaEvolution', () => {
  it('lets an added field through as a safe change', async () => {
    const report = await checkSchemaEvolution(
      released,
      released.replace('score: String', 'score: String\n clock: Int'),
      [],
    );
    expect(report.changes.map((c) => [c.type, c.path])).toEqual([['FIELD_ADDED', 'Match.clock']]);
    expect(report.undeclared).toEqual([]);
    expect(report.removedWithoutNotice).toEqual([]);
  });

  it('fails a breaking change unless it is declared with a reason', async () => {
    const current = released.replace('score: String', 'score: Int');
    const undeclared = await checkSchemaEvolution(released, current, []);
    expect(undeclared.undeclared.map((c) => [c.type, c.path])).toEqual([['FIELD_TYPE_CHANGED', 'Match.score']]);
    const blank = await checkSchemaEvolution(released, current, [
      { path: 'Match.score', type: 'FIELD_TYPE_CHANGED', reason: ' ' },
    ]);
    expect(blank.undeclared).toHaveLength(1);
    const declared = await checkSchemaEvolution(released, current, [
      { path: 'Match.score', type: 'FIELD_TYPE_CHANGED', reason: 'scores are numbers now' },
    ]);
    expect(declared.undeclared).toEqual([]);
  });

  it('takes a removal only after a dated deprecation in the release, declared or not', async () => {
    const withoutMinute = released.replace(/minute: Int @deprecated\([^)]*\)/, '');
    const declaration = { path: 'Match.minute', type: 'FIELD_REMOVED', reason: 'announced in December' };
    expect((await checkSchemaEvolution(released, withoutMinute, [declaration])).removedWithoutNotice).toEqual([]);

    // Deprecated without a date, or never deprecated: a client had no notice of when.
    const withoutVenue = released.replace(/venue: String @deprecated\([^)]*\)/, '');
    const withoutScore = released.replace('score: String', '');
    for (const [current, field] of [
      [withoutVenue, 'Match.venue'],
      [withoutScore, 'Match.score'],
    ] as const) {
      const report = await checkSchemaEvolution(released, current, [
        { path: field, type: 'FIELD_REMOVED', reason: 'gone' },
      ]);
      expect(report.removedWithoutNotice.map((c) => c.path)).toEqual([field]);
    }
  });
});
