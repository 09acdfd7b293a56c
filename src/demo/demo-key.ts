import net from 'node:net';
import type { AppConfig } from '../config';

/** Whether GraphiQL's default headers carry the demo key, and why (see GRAPHIQL_DEMO_KEY). */
export type DemoKeyInGraphiql = 'embedded' | 'production' | 'beyond-loopback' | 'turned-off';

/**
 * The demo key is an OWNER key with the platform scopes, handed to whoever opens GraphiQL: by
 * default only a server reachable from this machine alone hands it out.
 */
export function demoKeyInGraphiql(config: Pick<AppConfig, 'env' | 'host' | 'graphiqlDemoKey'>): DemoKeyInGraphiql {
  if (config.env === 'production') return 'production';
  if (config.graphiqlDemoKey === false) return 'turned-off';
  if (config.graphiqlDemoKey === 'auto' && !isLoopbackHost(config.host)) return 'beyond-loopback';
  return 'embedded';
}

/** localhost, 127.0.0.0/8 or ::1 (also as an IPv4-mapped IPv6 address). */
export function isLoopbackHost(host: string): boolean {
  const address = host.toLowerCase().replace(/^::ffff:/, '');
  if (address === 'localhost' || address === '::1') return true;
  return net.isIPv4(address) && address.startsWith('127.');
}
