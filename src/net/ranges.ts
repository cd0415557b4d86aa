import { BlockList } from 'node:net';

/** Why an address is not a public destination; `public` when it is one. */
export type AddressClass =
  | 'public'
  | 'metadata'
  | 'loopback'
  | 'unspecified'
  | 'link-local'
  | 'private'
  | 'shared'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

type Range = readonly [address: string, prefix: number];

// Cloud instance-metadata services: credentials of the machine the platform runs on. They sit
// inside ranges refused anyway, and stay refused even when the operator allows such a range
// (only an entry naming the exact address opens one; see allow-list.ts).
const METADATA_V4: readonly string[] = [
  '169.254.169.254', // AWS, Azure, GCP, OpenStack, Huawei Cloud
  '169.254.170.2', // AWS ECS task metadata
  '169.254.0.23', // Tencent Cloud
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
];
const METADATA_V6: readonly string[] = ['fd00:ec2::254'];

// IPv4 special-purpose ranges (IANA registry, RFC 6890), by why they are refused.
const V4: Record<Exclude<AddressClass, 'public' | 'metadata'>, readonly Range[]> = {
  loopback: [['127.0.0.0', 8]],
  unspecified: [['0.0.0.0', 8]], // "this network": 0.0.0.0 reaches the host itself on Linux
  'link-local': [['169.254.0.0', 16]],
  private: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
  ],
  shared: [['100.64.0.0', 10]], // carrier-grade NAT, also where some clouds put their services
  multicast: [['224.0.0.0', 4]],
  broadcast: [['255.255.255.255', 32]],
  reserved: [
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relay anycast
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['240.0.0.0', 4], // reserved, up to the broadcast address
  ],
};

const V6: Record<Exclude<AddressClass, 'public' | 'metadata' | 'broadcast' | 'shared'>, readonly Range[]> = {
  loopback: [['::1', 128]],
  // ::/96 holds :: and the deprecated IPv4-compatible ::a.b.c.d, none a destination.
  unspecified: [['::', 96]],
  'link-local': [['fe80::', 10]],
  private: [
    ['fc00::', 7], // unique local
    ['fec0::', 10], // site-local (deprecated)
    ['64:ff9b:1::', 48], // local-use NAT64
  ],
  multicast: [['ff00::', 8]],
  reserved: [
    ['100::', 64], // discard
    ['2001::', 32], // Teredo: the IPv4 address inside is obfuscated, so it cannot be checked
    ['2001:db8::', 32], // documentation
  ],
};

// IPv6 forms that carry an IPv4 address: the IPv4 address decides. IPv4-mapped (::ffff:0:0/96)
// needs nothing here, BlockList checks it against the IPv4 rules itself.
const EMBEDDING: readonly { prefix: string; at: number }[] = [
  { prefix: '::', at: 96 }, // IPv4-compatible (deprecated), so that ::7f00:1 reads as loopback
  { prefix: '64:ff9b::', at: 96 }, // NAT64 well-known prefix (RFC 6052), last 32 bits
  { prefix: '2002::', at: 16 }, // 6to4 (RFC 3056), bits 16–47
];

const hex = (n: number) => n.toString(16);

/** The IPv6 subnet that embeds IPv4 subnet `v4/prefix` at bit `at` of `base` (`at` is 16 or 96). */
function embedded(base: string, at: number, v4: string, prefix: number): Range {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
  const hi = hex((a << 8) | b);
  const lo = hex((c << 8) | d);
  const address = at === 96 ? `${base}${hi}:${lo}` : `${base.replace(/::$/, '')}:${hi}:${lo}::`;
  return [address, at + prefix];
}

function list(v4: readonly Range[], v6: readonly Range[]): BlockList {
  const blocks = new BlockList();
  for (const [address, prefix] of v4) {
    blocks.addSubnet(address, prefix, 'ipv4');
    for (const e of EMBEDDING) {
      const [embeddedAddress, embeddedPrefix] = embedded(e.prefix, e.at, address, prefix);
      blocks.addSubnet(embeddedAddress, embeddedPrefix, 'ipv6');
    }
  }
  for (const [address, prefix] of v6) blocks.addSubnet(address, prefix, 'ipv6');
  return blocks;
}

const CLASSES: readonly (readonly [AddressClass, BlockList])[] = [
  [
    'metadata',
    list(
      METADATA_V4.map((a) => [a, 32] as const),
      METADATA_V6.map((a) => [a, 128] as const),
    ),
  ],
  ...(Object.keys(V4) as (keyof typeof V4)[]).map(
    (name) => [name, list(V4[name], name in V6 ? V6[name as keyof typeof V6] : [])] as const,
  ),
];

/** The class of an IP address (4 or 6, as `family` says): `public`, or why it is not a destination. */
export function classifyAddress(address: string, family: 4 | 6): AddressClass {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [name, blocks] of CLASSES) if (blocks.check(address, type)) return name;
  return 'public';
}
