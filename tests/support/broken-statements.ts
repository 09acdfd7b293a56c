import pg from 'pg';

/**
 * Makes every statement whose SQL matches `pattern` fail in the driver with `message`, whatever
 * path sent it (MikroORM, knex or a prepared statement); returns the function that mends it.
 */
export function breakStatements(pattern: RegExp, message: string): () => void {
  const original = pg.Client.prototype.query;
  const patched = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
    if (pattern.test(String(text))) return Promise.reject(new Error(message));
    return (original as (...args: unknown[]) => unknown).call(this, config, ...rest);
  };
  pg.Client.prototype.query = patched as typeof original;
  return () => {
    pg.Client.prototype.query = original;
  };
}
