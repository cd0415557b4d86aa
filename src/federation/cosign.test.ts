import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawPublicKey } from '../audit/index.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import { cosign, cosignatureKeyId, noteBody, verifyCosignature, witnessName } from './cosign.js';
import { witnessedPeers } from './witness-peers.js';

const key = generateKeyPairSync('ed25519').privateKey;
const raw = rawPublicKey(key);
const body = 'huitong.local/audit\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

describe('C2SP tlog-cosignature v1', () => {
  it('signs the header, the time and the whole body; verifies only for that witness, body and key', () => {
    const name = witnessName('zj-330000');
    const line = cosign(body, name, key, 1_765_000_000);
    expect(line).toMatch(/^\u2014 witness\.huitong\/zj-330000 [A-Za-z0-9+/]{102}==\n$/u);
    expect(verifyCosignature(line, body, name, raw)).toBe(1_765_000_000);
    expect(verifyCosignature(line, body.replace('\n7\n', '\n8\n'), name, raw)).toBeUndefined();
    expect(verifyCosignature(line, body, witnessName('fj-350000'), raw)).toBeUndefined();
    const other = rawPublicKey(generateKeyPairSync('ed25519').privateKey);
    expect(verifyCosignature(line, body, name, other)).toBeUndefined();
    // The key ID uses the cosignature algorithm byte 0x04, not the note signature's 0x01.
    expect(cosignatureKeyId(name, raw)).toHaveLength(4);
    expect(noteBody(`${body}\n\u2014 x abc=\n`)).toBe(body);
  });
});

describe('who witnesses whom', () => {
  const node = (nodeId: string, parentNodeId: string | null, status = 'active'): FederationNode =>
    ({ nodeId, parentNodeId, status }) as FederationNode;
  const config = {
    nodes: [
      node('cn-100000', null),
      node('zj-330000', 'cn-100000'),
      node('fj-350000', 'cn-100000'),
      node('gd-440000', 'cn-100000', 'suspended'),
      node('hz-330100', 'zj-330000'),
      node('nb-330200', 'zj-330000'),
      node('fz-350100', 'fj-350000'),
    ],
  } as FederationConfig;
  const of = (id: string) => witnessedPeers(config, id).map((n) => n.nodeId);

  it('a node witnesses its parent, its siblings and its children, when active', () => {
    expect(of('cn-100000')).toEqual(['zj-330000', 'fj-350000']);
    expect(of('zj-330000')).toEqual(['cn-100000', 'fj-350000', 'hz-330100', 'nb-330200']);
    expect(of('hz-330100')).toEqual(['zj-330000', 'nb-330200']);
    expect(of('gd-440000')).toEqual([]);
  });
});
