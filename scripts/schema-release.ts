import fs from 'node:fs';
import { SCHEMA_FILE } from '../src/schema';
import { DECLARED_CHANGES_FILE, RELEASED_SCHEMA_FILE } from '../src/schema-evolution';

// `npm run schema:release`: schema.graphql becomes what clients were given; declarations start over.
fs.copyFileSync(SCHEMA_FILE, RELEASED_SCHEMA_FILE);
fs.writeFileSync(DECLARED_CHANGES_FILE, '[]\n');
console.log(`released ${SCHEMA_FILE} as ${RELEASED_SCHEMA_FILE}`);
