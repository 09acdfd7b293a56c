import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A Debian tool the monitoring tests shell out to. Absent, its tests are skipped with a notice,
 * except under CI=true, where that fails the run (.ci/run installs the package).
 */
export function requireTool(path: string, debianPackage: string): boolean {
  if (existsSync(path)) return true;
  const message = `${path} not found: install Debian's ${debianPackage} package (apt-get install ${debianPackage})`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${message}`);
  console.warn(`skipping its tests: ${message}`);
  return false;
}

/** Runs a tool; on failure the error carries everything it printed. */
export function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
