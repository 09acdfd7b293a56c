/** Progress for humans on stderr; the results table goes to stdout. */
export function log(message: string): void {
  console.error(`[bench] ${message}`);
}
