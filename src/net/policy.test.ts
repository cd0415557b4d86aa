import { describe, expect, it } from 'vitest';
import { isOutboundAllowEntry, loadConfig } from '../config/index.js';
import { createOutboundPolicy, literalAddress, OutboundRefusedError, type ResolveAll } from './policy.js';
import { classifyAddress } from './ranges.js';

const strict = createOutboundPolicy();
const refused = (host: string, port = 80, policy = strict) => policy.refusesLiteral(host, port) !== null;

// A resolver that knows a few names, as a DNS server an attacker controls might answer.
const names: Record<string, { address: string; family: number }[]> = {
  'loopback.example': [{ address: '127.0.0.1', family: 4 }],
  'mixed.example': [
    { address: '93.184.215.14', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ],
  'mapped.example': [{ address: '::ffff:169.254.169.254', family: 6 }],
  'public.example': [{ address: '93.184.215.14', family: 4 }],
  'db.internal': [{ address: '10.1.2.3', family: 4 }],
  'metadata.internal': [{ address: '169.254.169.254', family: 4 }],
};
const resolveAll: ResolveAll = async (host) => {
  const found = names[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

describe('the outbound policy', () => {
  it('refuses loopback, private, link-local, shared, metadata and other non-public addresses', () => {
    for (const host of [
      '127.0.0.1',
      '127.255.255.254',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.0.1',
      '169.254.169.254',
      '100.100.100.200',
      '224.0.0.1',
      '255.255.255.255',
      '240.0.0.1',
      '198.18.0.1',
      '::1',
      '::',
      '[::1]',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'fd00:ec2::254',
      'ff02::1',
    ])
      expect(refused(host), host).toBe(true);
    for (const host of ['93.184.215.14', '172.32.0.1', '100.128.0.1', '2400:3200::1', '8.8.8.8'])
      expect(refused(host), host).toBe(false);
  });

  it('refuses IPv4 inside IPv6: mapped, compatible, NAT64 and 6to4 forms', () => {
    for (const host of [
      '::ffff:127.0.0.1',
      '[::ffff:7f00:1]',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '::127.0.0.1',
      '64:ff9b::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::1',
      '2002:c0a8:101::1',
    ])
      expect(refused(host), host).toBe(true);
    expect(classifyAddress('64:ff9b::a9fe:a9fe', 6)).toBe('metadata');
    expect(classifyAddress('::ffff:7f00:1', 6)).toBe('loopback');
    // NAT64 of a public address is how an IPv6-only network reaches IPv4: allowed.
    expect(refused('64:ff9b::808:808')).toBe(false);
    expect(refused('::ffff:8.8.8.8')).toBe(false);
  });

  it('reads decimal, octal and hexadecimal IPv4 spellings as the address getaddrinfo would reach', () => {
    const spellings = [
      '2130706433',
      '0x7f000001',
      '0x7F.1',
      '127.1',
      '0177.0.0.1',
      '017700000001',
      '127.000.000.001',
    ];
    for (const host of spellings) {
      expect(literalAddress(host), host).toBe('127.0.0.1');
      expect(refused(host), host).toBe(true);
    }
    // What a URL makes of them, before the policy sees the host.
    expect(new URL('http://2130706433:8080/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0x7f000001/').hostname).toBe('127.0.0.1');
    expect(literalAddress('3232235777')).toBe('192.168.1.1');
    expect(literalAddress('db.example')).toBeNull();
    expect(literalAddress('1.2.3.4.example')).toBeNull();
  });

  it('resolves every address of a name and refuses the name when any one is refused', async () => {
    const policy = createOutboundPolicy({ resolveAll });
    await expect(policy.resolve('public.example', 443)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    for (const host of [
      'loopback.example',
      'mixed.example',
      'mapped.example',
      'db.internal',
      'LOOPBACK.example.',
    ])
      await expect(policy.resolve(host, 443), host).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(policy.resolve('nowhere.example', 443)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    // Literals are checked without DNS, in every spelling.
    await expect(policy.resolve('0x7f000001', 80)).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(policy.resolve('[::ffff:127.0.0.1]', 80)).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  it('refuses localhost through the system resolver', async () => {
    await expect(strict.resolve('localhost', 5432)).rejects.toMatchObject({
      code: 'EOUTBOUND',
      reason: expect.stringMatching(/loopback/),
    });
  });

  it('lets the allow-list open ranges, single addresses, ports and names', async () => {
    const policy = createOutboundPolicy({
      resolveAll,
      allow: ['10.1.0.0/16', '127.0.0.1:5432', '[::1]:3306', 'db.internal', '*.corp.example:443'],
    });
    expect(refused('10.1.200.3', 1, policy)).toBe(false);
    expect(refused('10.2.0.1', 1, policy)).toBe(true);
    expect(refused('127.0.0.1', 5432, policy)).toBe(false);
    expect(refused('2130706433', 5432, policy)).toBe(false); // the same address, spelt otherwise
    expect(refused('127.0.0.1', 5433, policy)).toBe(true);
    expect(refused('::ffff:127.0.0.1', 5432, policy)).toBe(false);
    expect(refused('::1', 3306, policy)).toBe(false);
    expect(refused('::1', 5432, policy)).toBe(true);
    await expect(policy.resolve('db.internal', 5432)).resolves.toEqual({ address: '10.1.2.3', family: 4 });
    await expect(policy.resolve('loopback.example', 5432)).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    await expect(policy.resolve('loopback.example', 5433)).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  it('opens a metadata address only to an entry naming exactly it', async () => {
    const wide = createOutboundPolicy({
      resolveAll,
      allow: ['169.254.0.0/16', '100.64.0.0/10', 'metadata.internal'],
    });
    expect(refused('169.254.1.1', 80, wide)).toBe(false);
    expect(refused('169.254.169.254', 80, wide)).toBe(true);
    expect(refused('100.100.100.200', 80, wide)).toBe(true);
    await expect(wide.resolve('metadata.internal', 80)).rejects.toBeInstanceOf(OutboundRefusedError);
    const exact = createOutboundPolicy({ allow: ['169.254.169.254'] });
    expect(refused('169.254.169.254', 80, exact)).toBe(false);
  });

  it('reads HUITONG_OUTBOUND_ALLOW from the configuration and refuses malformed entries', () => {
    const config = loadConfig({ HUITONG_OUTBOUND_ALLOW: ' 10.0.0.0/8 , db.internal:5432,[fd00::1]:443,' });
    expect(config.HUITONG_OUTBOUND_ALLOW).toEqual(['10.0.0.0/8', 'db.internal:5432', '[fd00::1]:443']);
    expect(loadConfig({}).HUITONG_OUTBOUND_ALLOW).toEqual([]);
    for (const entry of ['10.0.0.0/33', '127.1', 'a b', 'host:0', 'host:70000', '::1:5432/200', 'http://x'])
      expect(isOutboundAllowEntry(entry), entry).toBe(false);
    for (const entry of ['::1', 'fd00::/8', '[fd00::]/8:5432', '*.gov.example', 'localhost:8080'])
      expect(isOutboundAllowEntry(entry), entry).toBe(true);
    expect(() => loadConfig({ HUITONG_OUTBOUND_ALLOW: '10.0.0.0/40' })).toThrow(/HUITONG_OUTBOUND_ALLOW/);
  });
});
