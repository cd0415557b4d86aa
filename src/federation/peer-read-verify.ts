import { z } from 'zod';
import { AppError } from '../errors/index.js';
import type { AuthenticatedActor } from '../identity/index.js';
import type { VerifyClaim } from '../query/index.js';
import type { PeerReadContext } from './peer-read.js';
import { acceptReceipt, remoteParties } from './peer-read-common.js';
import { PeerVerifyAnswerSchema, type PeerVerifyRequest } from './peer-serve-verify.js';
import { safeJson, signedExchange } from './remote-request-exchange.js';

/** A verification's answer as the provider released it: whether the claim holds (per item if asked). */
export const RemoteVerifyAnswerSchema = z.strictObject({
  match: z.boolean(),
  items: z.record(z.string(), z.boolean()).optional(),
});

/**
 * A claim checked against a record another node holds, for one of this node's applications (跨节点
 * 核验): the provider checks it under its own grant and signs a receipt over its answer's bytes,
 * pointing at its release entries; the receipt is checked and logged here
 * (`federation.receipt`, kind verify) before the answer is passed on. Returns the answer's JSON
 * as the provider released it.
 */
export async function verifyRemoteClaim(
  ctx: PeerReadContext,
  actor: AuthenticatedActor,
  providerNodeId: string,
  resourceCode: string,
  claim: VerifyClaim,
  requestId: string,
): Promise<string> {
  const parties = await remoteParties(
    ctx,
    actor,
    providerNodeId,
    'verify at /api/v1/resources/{code}/verify',
  );
  const { config, provider, org, application } = parties;
  const asked: PeerVerifyRequest = { org, application, resourceCode, claim };
  const answer = await signedExchange(ctx, config, provider, '/api/v1/federation/peer/verify', asked, {
    status: 200,
    schema: PeerVerifyAnswerSchema,
  });
  if (!RemoteVerifyAnswerSchema.safeParse(safeJson(Buffer.from(answer.answer))).success)
    throw new AppError(502, 'peer_bad_answer', `Node ${provider.nodeId} answered garbage`);
  const expected = { resource: resourceCode, kind: 'verify' as const };
  await acceptReceipt(ctx, parties, expected, answer, answer.answer, requestId);
  return answer.answer;
}
