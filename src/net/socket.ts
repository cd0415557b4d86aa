import { type LookupFunction, Socket } from 'node:net';
import type { CheckedAddress, OutboundPolicy } from './policy.js';

/**
 * A `lookup` that answers only the address the policy checked, whatever name it is asked for:
 * the connection goes where the check said, so a second DNS answer (rebinding) changes nothing.
 */
export function pinnedLookup(checked: CheckedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: checked.address, family: checked.family }]);
    else callback(null, checked.address, checked.family);
  }) as LookupFunction;
}

/**
 * A TCP socket for drivers that take a stream factory (pg's and mysql2's `stream`): its
 * `connect(port, host)` asks the policy first and connects to the checked address; a refusal
 * or DNS failure destroys the socket with that error, as a refused connection would. The
 * driver keeps the host name for TLS (servername, certificate check).
 */
export function checkedSocket(policy: OutboundPolicy): Socket {
  const socket = new Socket();
  const connect = socket.connect.bind(socket) as (port: number, host: string) => Socket;
  socket.connect = ((port: number, host: string) => {
    policy.resolve(host, port).then(
      (checked) => {
        // The driver may have given up (its connect timeout) while the name was resolving.
        if (!socket.destroyed) connect(port, checked.address);
      },
      (error: unknown) => socket.destroy(error as Error),
    );
    return socket;
  }) as Socket['connect'];
  return socket;
}
