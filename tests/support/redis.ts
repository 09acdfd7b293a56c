/**
 * REDIS_URL for tests that need Redis. Without it such tests are skipped with a visible
 * notice, except under CI=true, where a missing Redis must fail the run.
 */
export function redisUrlForTests(suite: string): string | undefined {
  const url = process.env.REDIS_URL;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error(`${suite}: REDIS_URL must be set under CI=true`);
  console.warn(`[tests] SKIPPED ${suite}: set REDIS_URL to run it against a real Redis`);
  return undefined;
}
