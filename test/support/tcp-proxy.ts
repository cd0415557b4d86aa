// A TCP proxy in the test process between the platform and a real service, so that a test can
// make the service unreachable (every connection cut, new ones refused) and bring it back on the
// same port, while the service itself stays up for the test's own direct connection.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** The proxy: where it listens, and the switch. */
export interface TcpProxy {
  port: number;
  /** Cuts every proxied connection and stops listening (connections are refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A proxy on 127.0.0.1 (a free port) to `host`:`port`. */
export async function tcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const make = (): Server =>
    createServer((client) => {
      const upstream = connect(port, host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: Server, at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  let server: Server | undefined = make();
  const own = await listen(server, 0);
  const down = async () => {
    const closing = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    if (closing) await new Promise((resolve) => closing.close(resolve));
  };
  return {
    port: own,
    down,
    async up() {
      if (server) return;
      server = make();
      await listen(server, own);
    },
    close: down,
  };
}
