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
  // What was released: absent in the first receipts, which were all pages of rows (`rows`).
  kind: z.enum(['rows', 'export', 'verify']).optional(),
  /** An export's file format (csv, xlsx…). */
  format: z.string().max(20).optional(),
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

/** A receipt as it travels: the receipt and its signature. */
export const SignedReceiptSchema = z.strictObject({ receipt: ReceiptSchema, signature: z.string() });
export type SignedReceipt = z.infer<typeof SignedReceiptSchema>;

/**
 * An export's receipt travels in this response header (the file is the body): base64url of the
 * signed receipt's JSON, covered by the response's signature.
 */
export const RECEIPT_HEADER = 'huitong-receipt';

/** The header value carrying a signed receipt. */
export function receiptHeaderValue({ receipt, signature }: SignedReceipt): string {
  return Buffer.from(JSON.stringify({ receipt, signature })).toString('base64url');
}

/** The signed receipt a header carries; `federation_receipt_invalid` when missing or malformed. */
export function receiptFromHeader(value: string | undefined): SignedReceipt {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = SignedReceiptSchema.safeParse(json);
  if (!parsed.success) throw new AppError(502, 'federation_receipt_invalid', 'The export carries no receipt');
  return parsed.data;
}

/** What a receipt says was released: a page of rows, an export, a verification's answer. */
export type ReceiptKind = NonNullable<Receipt['kind']>;

/** SHA-256 of a page's UTF-8 bytes (or of a file's bytes), hex (as the audit log's release entries hold it). */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Signs a receipt (Ed25519 over its canonical JSON) with the provider node's key; base64. */
export function signReceipt(key: KeyObject, receipt: Receipt): string {
  return ed25519Sign(key, canonicalBytes(receipt)).toString('base64');
}

/**
 * Checks a provider's answer on the consumer node: signed by the provider's key in the
 * configuration, for this consumer, resource and application, for the kind of release asked
 * (a receipt without a kind is a page's), over the very bytes received.
 */
export function checkReceipt(
  signed: SignedReceipt,
  released: string | Buffer,
  expected: {
    provider: FederationNode;
    consumer: string;
    resource: string;
    application: string;
    kind: ReceiptKind;
  },
): void {
  const { receipt } = signed;
  const key = publicKeyFromRaw(Buffer.from(expected.provider.publicKey, 'base64'));
  const fail = (why: string) => new AppError(502, 'federation_receipt_invalid', why);
  if (!ed25519Verify(key, canonicalBytes(receipt), Buffer.from(signed.signature, 'base64')))
    throw fail('The receipt is not signed by the provider node');
  if (receipt.provider !== expected.provider.nodeId || receipt.consumer !== expected.consumer)
    throw fail('The receipt names other nodes');
  if (
    receipt.resource !== expected.resource ||
    receipt.application !== expected.application ||
    (receipt.kind ?? 'rows') !== expected.kind
  )
    throw fail('The receipt is for another read');
  if (receipt.sha256 !== sha256Hex(released) || receipt.bytes !== Buffer.byteLength(released))
    throw fail('The bytes received are not the ones the receipt names');
}
