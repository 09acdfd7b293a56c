import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql instance: the server's CommonJS dependencies require() it, so tests must
    // not load its ESM build beside it ("Cannot use GraphQLScalarType from another realm").
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // Its ESM build imports util.isUndefined, gone since Node 23; the server loads the CJS build.
      { find: /^graphql-shield$/, replacement: require.resolve('graphql-shield') },
      // Must be the same build as graphql-shield's, which checks `instanceof` its generator class.
      { find: /^graphql-middleware$/, replacement: require.resolve('graphql-middleware') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
