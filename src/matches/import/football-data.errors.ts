/**
 * Thrown by the field parsers of the football-data importer when one cell of a row is
 * unusable. The row parser catches it and turns it into a `RowError` for that line, so
 * one bad row never stops the rest of the file from being parsed.
 */
export class InvalidFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFieldError';
  }
}
