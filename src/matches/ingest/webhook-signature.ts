import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (Stripe's scheme). */
export const SIGNATURE_HEADER = 'matchcast-signature';

/** Header naming the ingest source whose secret signed the body. */
export const SOURCE_HEADER = 'matchcast-source';

/** Most seconds a signature's timestamp may differ from the server's clock (replays are refused past it). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A new source secret: 32 random bytes, as `whsec_` + base64url. */
export function newSourceSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The signature header's value for `body` at `timestamp` (seconds): what a provider sends. */
export function signatureHeader(secret: string, body: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacOf(secret, timestamp, body)}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'expired' | 'mismatch';

/**
 * Checks a signature header against the raw body: null when valid, else what is wrong. Several
 * `v1` values may be sent (one per secret while a provider rotates); one match suffices.
 */
export function checkSignature(
  secret: string,
  body: Buffer,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureProblem | null {
  if (!header) return 'missing';
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value ?? '');
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!) || signatures.length === 0) return 'malformed';
  const timestamp = Number(timestamps[0]);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'expired';
  const expected = Buffer.from(hmacOf(secret, timestamp, body), 'hex');
  const matches = signatures.some((hex) => {
    const given = /^[0-9a-f]{64}$/i.test(hex) ? Buffer.from(hex, 'hex') : null;
    return given !== null && timingSafeEqual(given, expected);
  });
  return matches ? null : 'mismatch';
}

function hmacOf(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
