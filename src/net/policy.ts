import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Config } from '../config/index.js';
import { type AllowList, normalName, parseAllowList } from './allow-list.js';
import { classifyAddress } from './ranges.js';

/** An address the policy checked: connect to exactly this one. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (dns.lookup with `all`, as the drivers would). */
export type ResolveAll = (host: string) => Promise<{ address: string; family: number }[]>;

/**
 * The policy refused a destination. `reason` is for the server log and the audit log only:
 * a client is told no more than that the destination cannot be reached.
 */
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUND';
  constructor(readonly reason: string) {
    super(`outbound connection refused: ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

/** The one outbound policy: every connection the platform opens asks it first. */
export interface OutboundPolicy {
  /**
   * Checks a destination without DNS: an IP literal in any spelling getaddrinfo or a URL parser
   * accepts (`127.1`, `2130706433`, `0x7f000001`, `[::ffff:127.0.0.1]`). Returns why it is
   * refused, or null (a name is checked when connecting, as its addresses may change).
   */
  refusesLiteral(host: string, port: number): string | null;
  /** Resolves `host` and checks every address; the one to connect to, or OutboundRefusedError. */
  resolve(host: string, port: number): Promise<CheckedAddress>;
}

/**
 * The IP address a host spells, canonical (`127.1` → `127.0.0.1`, `[::ffff:7f00:1]` →
 * `::ffff:7f00:1`), or null for a host name. Uses the WHATWG URL host parser, which reads the
 * decimal, octal and hexadecimal IPv4 forms that inet_aton (and so getaddrinfo) reads.
 */
export function literalAddress(host: string): string | null {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare;
  if (!/^[0-9a-z._-]+$/i.test(bare)) return null;
  try {
    const parsed = new URL(`http://${bare}/`).hostname;
    return isIP(parsed) === 4 ? parsed : null;
  } catch {
    // An invalid IPv4 spelling (`256.1.1.1`, `0x1g`): not an address getaddrinfo would use either.
    return null;
  }
}

const defaultResolve: ResolveAll = (host) => dnsLookup(host, { all: true, verbatim: true });

/** A policy over the allow-list entries (HUITONG_OUTBOUND_ALLOW) and a resolver (tests inject one). */
export function createOutboundPolicy(
  options: { allow?: readonly string[]; resolveAll?: ResolveAll } = {},
): OutboundPolicy {
  const allow: AllowList = parseAllowList(options.allow ?? []);
  const resolveAll = options.resolveAll ?? defaultResolve;

  const refusal = (host: string, address: string, family: 4 | 6, port: number): string | null => {
    const kind = classifyAddress(address, family);
    if (kind === 'public') return null;
    const exact = kind === 'metadata';
    if (!exact && allow.allowsName(host, port)) return null;
    if (allow.allowsAddress(address, family, port, exact)) return null;
    return `${kind} address ${address} (port ${port}) is not in HUITONG_OUTBOUND_ALLOW`;
  };

  return {
    refusesLiteral: (host, port) => {
      const address = literalAddress(host);
      if (address === null) return null;
      return refusal(address, address, isIP(address) as 4 | 6, port);
    },
    resolve: async (host, port) => {
      const literal = literalAddress(host);
      if (literal !== null) {
        const family = isIP(literal) as 4 | 6;
        const refused = refusal(literal, literal, family, port);
        if (refused) throw new OutboundRefusedError(refused);
        return { address: literal, family };
      }
      const name = normalName(host);
      const found = await resolveAll(name);
      if (found.length === 0) throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
      // Every address is checked, not just the first: a name with one public and one loopback
      // address must not reach the loopback one when the first fails.
      for (const { address, family } of found) {
        const refused = refusal(name, address, family === 6 ? 6 : 4, port);
        if (refused) throw new OutboundRefusedError(`${name} resolves to ${refused}`);
      }
      const first = found[0] as { address: string; family: number };
      return { address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}

/** The policy the configuration describes. */
export function outboundPolicyFromConfig(config: Pick<Config, 'HUITONG_OUTBOUND_ALLOW'>): OutboundPolicy {
  return createOutboundPolicy({ allow: config.HUITONG_OUTBOUND_ALLOW });
}
