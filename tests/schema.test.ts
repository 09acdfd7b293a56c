import fs from 'node:fs';
import path from 'node:path';
import { generate, type CodegenContext } from '@graphql-codegen/cli';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../src/schema';
import { schemaSdl } from '../src/schema-sdl';
import { checkSchemaEvolution, readDeclaredChanges, RELEASED_SCHEMA_FILE } from '../src/schema-evolution';

describe('checked-in artefacts', () => {
  it('schema.graphql matches the schema the code builds (run `npm run schema:emit`)', async () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(await schemaSdl());
  });

  it('schema.graphql breaks nothing of the released schema that is not declared (`npm run schema:check`)', async () => {
    const report = await checkSchemaEvolution(
      fs.readFileSync(RELEASED_SCHEMA_FILE, 'utf8'),
      fs.readFileSync(SCHEMA_FILE, 'utf8'),
      readDeclaredChanges(),
    );
    expect(report.undeclared.map((change) => change.message)).toEqual([]);
    expect(report.removedWithoutNotice.map((change) => change.message)).toEqual([]);
  });

  it('the typed test documents match schema.graphql (run `npm run codegen`)', async () => {
    const root = path.resolve(__dirname, '..');
    const config = parse(fs.readFileSync(path.join(root, 'codegen.yml'), 'utf8')) as Exclude<
      Parameters<typeof generate>[0],
      CodegenContext
    >;
    const outputs = await generate({ ...config, cwd: root }, false);
    for (const output of outputs as { filename: string; content: string }[]) {
      expect(fs.readFileSync(path.resolve(root, output.filename), 'utf8'), output.filename).toBe(output.content);
    }
  });
});
