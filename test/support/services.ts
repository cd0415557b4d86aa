import { Socket } from 'node:net';
import { createOutboundPolicy } from '../../src/net/index.js';

/** The services of the development and CI machines. */
export const SERVICES = {
  postgres: { host: '127.0.0.1', port: 5432, url: 'postgres://postgres@127.0.0.1:5432/test' },
  mariadb: { host: '127.0.0.1', port: 3306, url: 'mysql://root@127.0.0.1:3306/test' },
  nats: { host: '127.0.0.1', port: 4222, url: 'nats://127.0.0.1:4222' },
} as const;
export type ServiceName = keyof typeof SERVICES;

/**
 * The outbound allow-list of the test suite (HUITONG_OUTBOUND_ALLOW): the machine's own
 * services and the local HTTP servers tests start live on loopback, which the policy refuses
 * by default. Tests of the policy itself override it.
 */
export const TEST_OUTBOUND_ALLOW = ['127.0.0.1', '::1'] as const;

/** The outbound policy over TEST_OUTBOUND_ALLOW, for tests that build connectors directly. */
export const testOutbound = createOutboundPolicy({ allow: TEST_OUTBOUND_ALLOW });

const checked = new Map<ServiceName, Promise<boolean>>();

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** Whether tests must fail, rather than skip, when a service is missing (CI sets it). */
export const servicesRequired = process.env.HUITONG_REQUIRE_SERVICES === '1';

/**
 * Whether a service answers. When it does not: under HUITONG_REQUIRE_SERVICES=1 this throws,
 * so the suite fails; otherwise it returns false and prints why the tests that need it skip.
 */
export async function serviceAvailable(name: ServiceName): Promise<boolean> {
  let probe = checked.get(name);
  if (!probe) {
    probe = reachable(SERVICES[name].host, SERVICES[name].port);
    checked.set(name, probe);
  }
  const ok = await probe;
  if (!ok) {
    const message = `${name} is not reachable at ${SERVICES[name].host}:${SERVICES[name].port}`;
    if (servicesRequired) throw new Error(`${message}, and HUITONG_REQUIRE_SERVICES=1 requires it`);
    console.warn(`[skip] ${message}: tests that need it are skipped`);
  }
  return ok;
}
