import { z } from 'zod';
import { FederationNodeSchema } from './config-schema.js';

// What the federation routes answer (the console reads the same types).

/** GET /federation/node: this node's identity and the configuration it holds. */
export const NodeStatusViewSchema = z.object({
  nodeId: z.string(),
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  url: z.string(),
  role: z.enum(['root', 'member']),
  federation: z.string(),
  publicKey: z.string(),
  config: z
    .object({
      version: z.number(),
      issuedAt: z.string(),
      expiresAt: z.string(),
      fetchedAt: z.string(),
      lastError: z.string().nullable(),
      nodes: z.array(FederationNodeSchema),
    })
    .nullable(),
});
export type NodeStatusView = z.infer<typeof NodeStatusViewSchema>;

/** A member node or join request as the root's administrators see it. */
export const MemberViewSchema = z.object({
  nodeId: z.string(),
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  parentNodeId: z.string().nullable(),
  url: z.string(),
  status: z.string(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type MemberView = z.infer<typeof MemberViewSchema>;

/** A join token, shown once when issued. */
export const JoinTokenViewSchema = z.object({ id: z.string(), token: z.string(), expiresAt: z.string() });
export type JoinTokenView = z.infer<typeof JoinTokenViewSchema>;
