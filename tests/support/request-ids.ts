/**
 * A `JSON.parse` reviver that drops `requestId`: tests comparing whole answers (HTTP with
 * WebSocket, or with a literal) compare them without the id each request gets. The ids
 * themselves are tested in tests/http/logs.test.ts.
 */
export function ignoringRequestIds(key: string, value: unknown): unknown {
  return key === 'requestId' ? undefined : value;
}
