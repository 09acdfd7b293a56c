/** The label value that stands for every value past a `BoundedLabel`'s limit. */
export const OTHER = 'other';

/**
 * Keeps a label's values few: the first `max` distinct values seen are used as they are, later
 * ones (and values longer than `maxLength`) become `other`. Clients choose operation names and
 * tenants come and go: without a bound each would add series to every scrape, forever.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly maxLength = 100,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max || value.length > this.maxLength) return OTHER;
    this.seen.add(value);
    return value;
  }
}
