import fs from 'node:fs';
import { SCHEMA_FILE } from '../src/schema';
import { schemaSdl } from '../src/schema-sdl';

schemaSdl()
  .then((sdl) => {
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
