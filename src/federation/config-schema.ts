import { z } from 'zod';

/** A node's place in the network: 国家级, 省级, 市级. */
export const NodeLevelSchema = z.enum(['national', 'provincial', 'city']);

/** Whether the federation admits a node's traffic: 正常, 暂停, 撤销. */
export const NodeStatusSchema = z.enum(['active', 'suspended', 'revoked']);

/** A GB/T 2260 administrative division code: six digits (e.g. 330000 浙江省, 350100 福州市). */
export const RegionCodeSchema = z.string().regex(/^\d{6}$/, 'a six-digit GB/T 2260 code');

/** A raw Ed25519 public key, base64 (32 bytes). */
export const PublicKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 Ed25519 public key (32 bytes)');

/** One member node as the federation configuration lists it. */
export const FederationNodeSchema = z
  .object({
    nodeId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    regionCode: RegionCodeSchema,
    name: z.string().min(1).max(100),
    level: NodeLevelSchema,
    parentNodeId: z.string().nullable(),
    url: z.url({ protocol: /^https?$/ }),
    publicKey: PublicKeySchema,
    // The node's audit log verifier key (C2SP vkey): its witnesses check its checkpoints with it.
    auditVkey: z.string().min(1).max(300).optional(),
    status: NodeStatusSchema,
  })
  .strict();

/**
 * The federation configuration the root publishes (联邦配置): every member, its key and status,
 * a version that only grows and an expiry after which no node trusts it.
 */
export const FederationConfigSchema = z
  .object({
    federation: z.string().min(1).max(100),
    version: z.number().int().positive(),
    issuedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    rootNodeId: z.string(),
    nodes: z.array(FederationNodeSchema).min(1),
  })
  .strict()
  .refine((c) => c.nodes.some((n) => n.nodeId === c.rootNodeId), 'the root must be one of the nodes')
  .refine((c) => new Set(c.nodes.map((n) => n.nodeId)).size === c.nodes.length, 'node ids are unique');

/** The configuration with the root's Ed25519 signature over its canonical JSON. */
export const SignedFederationConfigSchema = z
  .object({
    config: FederationConfigSchema,
    signature: z.object({ keyId: z.string(), value: z.string() }).strict(),
  })
  .strict();

export type NodeLevel = z.infer<typeof NodeLevelSchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type FederationNode = z.infer<typeof FederationNodeSchema>;
export type FederationConfig = z.infer<typeof FederationConfigSchema>;
export type SignedFederationConfig = z.infer<typeof SignedFederationConfigSchema>;
