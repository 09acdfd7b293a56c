import { createHash, randomBytes } from 'node:crypto';

/** Prefix that marks Matchcast API keys (helps secret scanners and humans). */
export const API_KEY_PREFIX = 'mc_';
const VISIBLE_LENGTH = 11;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The part of a key that may be shown again after creation. */
export function visiblePrefix(key: string): string {
  return key.slice(0, VISIBLE_LENGTH);
}

/** Reads a key from `x-api-key` or `Authorization: Bearer`; undefined when absent. */
export function apiKeyFromHeaders(headers: Record<string, unknown>): string | undefined {
  const direct = headerValue(headers['x-api-key']);
  if (direct) return direct.trim();
  const authorization = headerValue(headers['authorization']);
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

function headerValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return headerValue(value[0]);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
