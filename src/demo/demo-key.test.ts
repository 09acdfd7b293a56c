import { describe, expect, it } from 'vitest';
import { demoKeyInGraphiql, isLoopbackHost } from './demo-key';

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1, and nothing that other machines can reach', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', '127.example.com']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('demoKeyInGraphiql', () => {
  it('embeds the key on loopback by default, beyond it only when asked, and never in production', () => {
    const at = (host: string, graphiqlDemoKey: boolean | 'auto', env: 'development' | 'production' = 'development') =>
      demoKeyInGraphiql({ env, host, graphiqlDemoKey });
    expect(at('127.0.0.1', 'auto')).toBe('embedded');
    expect(at('0.0.0.0', 'auto')).toBe('beyond-loopback');
    expect(at('0.0.0.0', true)).toBe('embedded');
    expect(at('127.0.0.1', false)).toBe('turned-off');
    expect(at('127.0.0.1', 'auto', 'production')).toBe('production');
  });
});
