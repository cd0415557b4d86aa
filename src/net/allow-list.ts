import { BlockList, isIP } from 'node:net';

/** One parsed entry of HUITONG_OUTBOUND_ALLOW. */
type Entry =
  | { kind: 'range'; blocks: BlockList; exact: boolean; port: number | null }
  | { kind: 'name'; name: string; subdomains: boolean; port: number | null };

/** The operator's allow-list: which non-public destinations the platform may connect to. */
export interface AllowList {
  /** Whether a host name is named (exactly, or under a `*.` entry) for this port. */
  allowsName(host: string, port: number): boolean;
  /**
   * Whether an address is inside an allowed range for this port. Metadata addresses need an
   * entry naming exactly them (`exact`): allowing 169.254.0.0/16 does not open 169.254.169.254.
   */
  allowsAddress(address: string, family: 4 | 6, port: number, exact: boolean): boolean;
}

/** A host name as compared: lower case, without the root's trailing dot. */
export function normalName(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function parseEntry(raw: string): Entry {
  let target = raw.trim().toLowerCase();
  let port: number | null = null;
  const withPort = /^(\[[^\]]+\](?:\/\d+)?|[^:]+):(\d{1,5})$/.exec(target);
  if (withPort) {
    target = withPort[1] as string;
    port = Number(withPort[2]);
  }
  target = target.replace(/^\[([^\]]+)\]/, '$1');
  const [address = '', prefixText] = target.split('/');
  const family = isIP(address);
  if (family === 0) {
    const subdomains = address.startsWith('*.');
    return { kind: 'name', name: normalName(subdomains ? address.slice(2) : address), subdomains, port };
  }
  const full = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? full : Number(prefixText);
  const blocks = new BlockList();
  blocks.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return { kind: 'range', blocks, exact: prefix === full, port };
}

/**
 * Parses the allow-list entries (validated by config/): `10.1.0.0/16`, `192.168.3.7:5432`,
 * `[fd00::5]:443`, `db.internal`, `*.gov.example:8443`. No port means every port.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const parsed = entries.map(parseEntry);
  const portFits = (e: Entry, port: number) => e.port === null || e.port === port;
  return {
    allowsName: (host, port) => {
      const name = normalName(host);
      return parsed.some(
        (e) =>
          e.kind === 'name' &&
          portFits(e, port) &&
          (name === e.name || (e.subdomains && name.endsWith(`.${e.name}`))),
      );
    },
    allowsAddress: (address, family, port, exact) =>
      parsed.some(
        (e) =>
          e.kind === 'range' &&
          portFits(e, port) &&
          (!exact || e.exact) &&
          e.blocks.check(address, family === 4 ? 'ipv4' : 'ipv6'),
      ),
  };
}
