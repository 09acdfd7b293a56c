import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { TrustedDocuments } from './trusted-documents';

const MATCHES = 'query Matches { matches(first: 1) { totalCount } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function manifestFile(content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-'));
  const file = path.join(dir, 'manifest.json');
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return expect.unreachable() as never;
}

describe('TrustedDocuments', () => {
  it("reads GraphQL Code Generator's persisted-documents.json and Apollo's persisted query list", () => {
    const codegen = manifestFile({ [`sha256:${sha256(MATCHES)}`]: MATCHES });
    const other = '{ viewer { role } }';
    const apollo = manifestFile({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(other), name: null, type: 'query', body: other }],
    });
    const documents = TrustedDocuments.load({ manifests: [codegen, apollo], only: 'all' });
    expect(documents.size).toBe(2);
    expect(documents.resolve({ documentId: `sha256:${sha256(MATCHES)}` }, true)).toEqual({ query: MATCHES });
    expect(
      documents.resolve({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(other) } } }, true),
    ).toEqual({
      query: other,
    });
    // The registered text itself, sent in full (an automatic persisted query's retry does this).
    expect(documents.resolve({ query: other }, true)).toEqual({ query: other });
  });

  it('refuses any other text and unknown ids where registered documents are required, and not elsewhere', () => {
    const documents = TrustedDocuments.load({
      manifests: [manifestFile({ [`sha256:${sha256(MATCHES)}`]: MATCHES })],
      only: ['locked'],
    });
    const other = '{ __typename }';
    const codeOf = (resolved: ReturnType<TrustedDocuments['resolve']>) =>
      'error' in resolved ? resolved.error.extensions.code : null;
    expect(codeOf(documents.resolve({ query: other }, true))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(codeOf(documents.resolve({ query: `${MATCHES} ` }, true))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(codeOf(documents.resolve({ extensions: { persistedQuery: { sha256Hash: sha256(other) } } }, true))).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(codeOf(documents.resolve({ documentId: `sha256:${sha256(other)}` }, false))).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(documents.resolve({ query: other }, false)).toEqual({ query: other });
    // Not required: an unknown persisted query hash is left to Apollo's automatic persisted queries.
    expect(documents.resolve({ extensions: { persistedQuery: { sha256Hash: sha256(other) } } }, false)).toEqual({
      query: undefined,
    });
    const member = (tenantSlug: string) => ({ tenantSlug }) as never;
    expect([
      documents.requiredFor(member('locked')),
      documents.requiredFor(member('open')),
      documents.requiredFor(null),
    ]).toEqual([true, false, false]);
  });

  it('stops the start with the file and the reason when a manifest is unreadable, forged or broken', () => {
    const forged = manifestFile({ [`sha256:${sha256('{ a }')}`]: MATCHES });
    const broken = manifestFile({ [`sha256:${sha256('query {')}`]: 'query {' });
    const notManifest = manifestFile([1, 2]);
    const problems = problemsOf(() =>
      TrustedDocuments.load({ manifests: [forged, broken, notManifest, '/nonexistent/manifest.json'], only: 'all' }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(`^TRUSTED_DOCUMENTS: ${forged}: document sha256:\\w+: its id is not the SHA-256 of its text`),
      ),
      expect.stringMatching(/: document sha256:\w+ does not parse/),
      expect.stringMatching(/: not a trusted-documents manifest/),
      expect.stringMatching(/^TRUSTED_DOCUMENTS: \/nonexistent\/manifest.json: ENOENT/),
    ]);
  });
});
