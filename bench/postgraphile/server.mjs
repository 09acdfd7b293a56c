// PostGraphile 5 over the bench database's public schema, for `npm run bench:api`.
// Run with this folder's Node 22 (node_modules/.bin/node); env: DATABASE_URL, PORT, HOST.
import { createServer } from 'node:http';
import process from 'node:process';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!process.env.DATABASE_URL || !Number.isInteger(port) || port <= 0) {
  process.stderr.write('DATABASE_URL and PORT are required\n');
  process.exit(2);
}

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      // Matchcast's MikroORM pool is 10 connections: same budget for a fair comparison.
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { port, host, graphqlPath: '/graphql', graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const server = createServer();
server.on('error', (error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
await pgl.createServ(grafserv).addTo(server);
server.listen(port, host);
