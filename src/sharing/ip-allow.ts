import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Splits `a.b.c.d/n` or an address; null when malformed. */
function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', bits, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!/^\d{1,3}$/.test(bits ?? String(max)) || prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A CIDR block (`10.0.0.0/8`, `2001:db8::/32`) or a single address. */
export const CidrSchema = z
  .string()
  .trim()
  .max(64)
  .refine((s) => parseCidr(s) !== null, 'must be an IPv4 or IPv6 address or CIDR block');

/**
 * Whether `ip` falls in one of the blocks; an empty list allows every address. IPv4 clients
 * seen through a dual-stack socket (`::ffff:1.2.3.4`) are matched as IPv4.
 */
export function ipAllowed(blocks: readonly string[], ip: string): boolean {
  if (blocks.length === 0) return true;
  const address = MAPPED_V4.exec(ip)?.[1] ?? ip;
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const block of blocks) {
    const cidr = parseCidr(block);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a whole block (or address) lies inside one of `blocks`. */
export function cidrWithin(block: string, blocks: readonly string[]): boolean {
  const inner = parseCidr(block);
  if (!inner) return false;
  return blocks.some((outer) => {
    const o = parseCidr(outer);
    if (!o || o.family !== inner.family || o.prefix > inner.prefix) return false;
    const list = new BlockList();
    list.addSubnet(o.address, o.prefix, o.family);
    return list.check(inner.address, inner.family);
  });
}
