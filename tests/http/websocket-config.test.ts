import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('WebSocket limits configuration', () => {
  it('defaults to 64 KiB messages, 1 MiB send buffers, 100 operations per socket and 20 sockets per key', () => {
    expect(loadConfig({}).webSocket).toEqual({
      maxMessageBytes: 65_536,
      maxBufferedBytes: 1_048_576,
      maxSubscriptionsPerSocket: 100,
      maxSocketsPerKey: 20,
    });
  });

  it('reads each limit from its variable', () => {
    const config = loadConfig({
      WS_MAX_MESSAGE_BYTES: '16384',
      WS_MAX_BUFFERED_BYTES: '262144',
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '10',
      WS_MAX_SOCKETS_PER_KEY: '2',
    });
    expect(config.webSocket).toEqual({
      maxMessageBytes: 16_384,
      maxBufferedBytes: 262_144,
      maxSubscriptionsPerSocket: 10,
      maxSocketsPerKey: 2,
    });
  });

  it('names every bad limit with what it must be', () => {
    try {
      loadConfig({
        WS_MAX_MESSAGE_BYTES: '2097152',
        WS_MAX_BUFFERED_BYTES: 'lots',
        WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '0',
        WS_MAX_SOCKETS_PER_KEY: '1.5',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^WS_MAX_MESSAGE_BYTES: must be at most 1048576 bytes/m);
      expect(problems).toMatch(/^WS_MAX_BUFFERED_BYTES: must be a whole number of bytes/m);
      expect(problems).toMatch(/^WS_MAX_SUBSCRIPTIONS_PER_SOCKET: must be at least 1/m);
      expect(problems).toMatch(/^WS_MAX_SOCKETS_PER_KEY: must be a whole number/m);
    }
  });
});
