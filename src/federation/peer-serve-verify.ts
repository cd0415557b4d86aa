import { z } from 'zod';
import { type QueryContext, VerifyClaimSchema, verifyClaim } from '../query/index.js';
import type { FederationNode } from './config-schema.js';
import { PeerAppSchema, PeerOrgSchema } from './peer-principals.js';
import { peerRun, receiptOf, type ServingNode } from './peer-serve-common.js';
import { ReceiptSchema } from './receipt.js';
import { parsePeerBody } from './remote-request-receive.js';

/** What a consumer node asks of a provider node for one of its applications: a claim to verify (核验). */
export const PeerVerifyRequestSchema = z.strictObject({
  org: PeerOrgSchema,
  application: PeerAppSchema,
  resourceCode: z.string().min(1).max(200),
  claim: VerifyClaimSchema,
});
export type PeerVerifyRequest = z.infer<typeof PeerVerifyRequestSchema>;

/**
 * A provider's answer to a cross-node verification: the answer's JSON as released (its bytes are
 * the ones the receipt's SHA-256 and the release's completion entry name), the receipt and its
 * signature.
 */
export const PeerVerifyAnswerSchema = z.strictObject({
  answer: z.string().max(10_000),
  receipt: ReceiptSchema,
  signature: z.string(),
});
export type PeerVerifyAnswer = z.infer<typeof PeerVerifyAnswerSchema>;

/**
 * A provider node checks a peer's claim for one of its applications (已验签 by the route) as it
 * checks a local one (verifyClaim: grant, verification method, items, the per-organisation
 * count, the keyed digests of the claim in its release entries), and signs a receipt pointing
 * at those entries, over the answer's exact bytes.
 */
export async function servePeerVerify(
  ctx: QueryContext,
  self: ServingNode,
  sender: FederationNode,
  body: Buffer,
  ip: string,
): Promise<PeerVerifyAnswer> {
  const asked = parsePeerBody(PeerVerifyRequestSchema, body, 'cross-node verification');
  const run = await peerRun(ctx, sender, asked, ip);
  // The very string verifyClaim's completion entry hashed: JSON.stringify of the same answer.
  const answer = JSON.stringify(await verifyClaim(run.ctx, run.caller, asked.resourceCode, asked.claim));
  const signed = await receiptOf(self, sender, run, {
    kind: 'verify',
    resource: asked.resourceCode,
    application: asked.application.id,
    released: answer,
  });
  return { answer, ...signed };
}
