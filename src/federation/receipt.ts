import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalBytes, ed25519Sign, ed25519Verify, publicKeyFromRaw } from '../audit/index.js';
import { AppError } from '../errors/index.js';
import type { FederationNode } from './config-schema.js';

/**
 * What a provider node signs for each cross-node read (回执): who read what, the SHA-256 of the
 * exact bytes it released, and where that release sits in its audit log (the start and
 * completion entries, and a signed checkpoint covering them), so that either side can prove the
 * exchange: the consumer with the receipt, the provider with its log.
 */
export const ReceiptSchema = z.strictObject({
  v: z.literal(1),
  provider: z.string(),
  consumer: z.string(),
  requestId: z.string(),
  resource: z.string(),
  application: z.string(),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  logIndex: z.number().int().min(0),
  completeIndex: z.number().int().min(0).nullable(),
  checkpoint: z
    .object({ treeSize: z.number().int().min(0), rootHash: z.string(), note: z.string() })
    .nullable(),
  time: z.string(),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

/** A provider's answer to a cross-node read: the page as released, its receipt and the receipt's signature. */
export const PeerRowsAnswerSchema = z.strictObject({
  page: z.string(),
  receipt: ReceiptSchema,
  signature: z.string(),
});
export type PeerRowsAnswer = z.infer<typeof PeerRowsAnswerSchema>;

/** SHA-256 of a page's UTF-8 bytes, hex (as the audit log's release entries hold it). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Signs a receipt (Ed25519 over its canonical JSON) with the provider node's key; base64. */
export function signReceipt(key: KeyObject, receipt: Receipt): string {
  return ed25519Sign(key, canonicalBytes(receipt)).toString('base64');
}

/**
 * Checks a provider's answer on the consumer node: signed by the provider's key in the
 * configuration, for this consumer, resource and application, over the very bytes of the page.
 */
export function checkReceipt(
  answer: PeerRowsAnswer,
  expected: { provider: FederationNode; consumer: string; resource: string; application: string },
): void {
  const { receipt } = answer;
  const key = publicKeyFromRaw(Buffer.from(expected.provider.publicKey, 'base64'));
  const fail = (why: string) => new AppError(502, 'federation_receipt_invalid', why);
  if (!ed25519Verify(key, canonicalBytes(receipt), Buffer.from(answer.signature, 'base64')))
    throw fail('The receipt is not signed by the provider node');
  if (receipt.provider !== expected.provider.nodeId || receipt.consumer !== expected.consumer)
    throw fail('The receipt names other nodes');
  if (receipt.resource !== expected.resource || receipt.application !== expected.application)
    throw fail('The receipt is for another read');
  if (receipt.sha256 !== sha256Hex(answer.page) || receipt.bytes !== Buffer.byteLength(answer.page))
    throw fail('The page is not the one the receipt names');
}
