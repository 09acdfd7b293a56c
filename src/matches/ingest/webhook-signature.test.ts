import { describe, expect, it } from 'vitest';
import { checkSignature, newSourceSecret, signatureHeader } from './webhook-signature';

const secret = newSourceSecret();
const body = Buffer.from('{"events":[]}');
const now = 1_800_000_000;

describe('webhook signatures', () => {
  it('accepts the signature of the exact body within the tolerance', () => {
    expect(checkSignature(secret, body, signatureHeader(secret, body, now), now)).toBeNull();
    expect(checkSignature(secret, body, signatureHeader(secret, body, now - 299), now)).toBeNull();
    // While a provider rotates, one of several v1 values may match.
    const header = `${signatureHeader(newSourceSecret(), body, now)},v1=${signatureHeader(secret, body, now).split('v1=')[1]}`;
    expect(checkSignature(secret, body, header, now)).toBeNull();
  });

  it('refuses a missing, malformed, stale, future, foreign or tampered signature', () => {
    expect(checkSignature(secret, body, undefined, now)).toBe('missing');
    expect(checkSignature(secret, body, 'v1=abc', now)).toBe('malformed');
    expect(checkSignature(secret, body, 't=abc,v1=00', now)).toBe('malformed');
    expect(checkSignature(secret, body, signatureHeader(secret, body, now - 301), now)).toBe('expired');
    expect(checkSignature(secret, body, signatureHeader(secret, body, now + 301), now)).toBe('expired');
    expect(checkSignature(secret, body, signatureHeader(newSourceSecret(), body, now), now)).toBe('mismatch');
    expect(checkSignature(secret, Buffer.from('{"events":[1]}'), signatureHeader(secret, body, now), now)).toBe(
      'mismatch',
    );
    expect(checkSignature(secret, body, `t=${now},v1=zz`, now)).toBe('mismatch');
  });
});
