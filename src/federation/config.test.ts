import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawPublicKey } from '../audit/index.js';
import type { AppError } from '../errors/index.js';
import { acceptConfig, assertConfigCurrent } from './config-accept.js';
import { type FederationConfig, FederationConfigSchema } from './config-schema.js';
import { signConfig, verifySignedConfig } from './config-sign.js';

const root = generateKeyPairSync('ed25519').privateKey;
const rootRaw = rawPublicKey(root);
const zhejiangRaw = rawPublicKey(generateKeyPairSync('ed25519').privateKey);

/** A two-node configuration: the national root and Zhejiang. */
function buildConfig(overrides: Partial<FederationConfig> = {}): FederationConfig {
  return FederationConfigSchema.parse({
    federation: '全国一体化政务数据共享',
    version: 3,
    issuedAt: '2026-12-06T00:00:00.000Z',
    expiresAt: '2026-12-13T00:00:00.000Z',
    rootNodeId: 'cn-100000',
    nodes: [
      {
        nodeId: 'cn-100000',
        regionCode: '100000',
        name: '国家节点',
        level: 'national',
        parentNodeId: null,
        url: 'https://national.example.gov.cn',
        publicKey: rootRaw.toString('base64'),
        status: 'active',
      },
      {
        nodeId: 'zj-330000',
        regionCode: '330000',
        name: '浙江省节点',
        level: 'provincial',
        parentNodeId: 'cn-100000',
        url: 'https://zj.example.gov.cn',
        publicKey: zhejiangRaw.toString('base64'),
        status: 'active',
      },
    ],
    ...overrides,
  });
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return 'accepted';
};
const now = new Date('2026-12-06T12:00:00.000Z');

describe('federation configuration', () => {
  it('verifies under the pinned root key and refuses any alteration or another signer', () => {
    const signed = signConfig(buildConfig(), root);
    expect(verifySignedConfig(signed, rootRaw).version).toBe(3);
    const altered = structuredClone(signed);
    (altered.config.nodes[1] as { status: string }).status = 'revoked';
    expect(code(() => verifySignedConfig(altered, rootRaw))).toBe('federation_config_signature_invalid');
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(code(() => verifySignedConfig(signConfig(buildConfig(), other), rootRaw))).toBe(
      'federation_config_signature_invalid',
    );
  });

  it('takes a newer version, keeps the same one, refuses a rollback, a fork of one version and an expired one', () => {
    const held = buildConfig();
    expect(acceptConfig(undefined, held, now)).toBe(true);
    expect(acceptConfig(held, buildConfig({ version: 4 }), now)).toBe(true);
    expect(acceptConfig(held, buildConfig(), now)).toBe(false);
    expect(code(() => acceptConfig(held, buildConfig({ version: 2 }), now))).toBe(
      'federation_config_rollback',
    );
    expect(code(() => acceptConfig(held, buildConfig({ issuedAt: '2026-12-06T01:00:00.000Z' }), now))).toBe(
      'federation_config_rollback',
    );
    expect(
      code(() => acceptConfig(held, buildConfig({ version: 5, expiresAt: '2026-12-06T11:00:00.000Z' }), now)),
    ).toBe('federation_config_expired');
  });

  it('refuses cross-node traffic once the held copy has expired', () => {
    expect(assertConfigCurrent(buildConfig(), now).version).toBe(3);
    expect(code(() => assertConfigCurrent(buildConfig(), new Date('2026-12-13T00:00:00.000Z')))).toBe(
      'federation_config_expired',
    );
    expect(code(() => assertConfigCurrent(undefined, now))).toBe('federation_config_expired');
  });

  it('rejects a configuration whose root is not a member, or with a node listed twice', () => {
    expect(() => buildConfig({ rootNodeId: 'nowhere' })).toThrow(/root must be one of the nodes/);
    const base = buildConfig();
    expect(() => FederationConfigSchema.parse({ ...base, nodes: [...base.nodes, base.nodes[1]] })).toThrow(
      /unique/,
    );
  });
});
