import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_FILE } from '../src/schema';
import {
  checkSchemaEvolution,
  DECLARED_CHANGES_FILE,
  readDeclaredChanges,
  RELEASED_SCHEMA_FILE,
} from '../src/schema-evolution';

// `npm run schema:check`: schema.graphql against the released schema (docs/api/released.graphql).
const USAGE = `usage: npm run schema:check
Compares schema.graphql with ${path.relative(process.cwd(), RELEASED_SCHEMA_FILE)} and fails on a breaking
change not declared in ${path.relative(process.cwd(), DECLARED_CHANGES_FILE)}, or on a removal the release
had not deprecated with a dated reason.`;

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const report = await checkSchemaEvolution(
    fs.readFileSync(RELEASED_SCHEMA_FILE, 'utf8'),
    fs.readFileSync(SCHEMA_FILE, 'utf8'),
    readDeclaredChanges(),
  );
  for (const change of report.changes) {
    console.log(`${change.criticality.level.padEnd(13)} ${change.type} ${change.path ?? ''}: ${change.message}`);
  }
  for (const change of report.undeclared) {
    console.error(`undeclared breaking change: ${change.type} ${change.path ?? ''} (declare it with a reason)`);
  }
  for (const change of report.removedWithoutNotice) {
    console.error(`removed without a dated @deprecated in the release first: ${change.path ?? ''}`);
  }
  const failed = report.undeclared.length + report.removedWithoutNotice.length;
  console.log(`${report.changes.length} change(s) since the release, ${failed} problem(s)`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
