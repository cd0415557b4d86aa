import { createHash, type KeyObject } from 'node:crypto';
import { ed25519Sign, ed25519Verify, publicKeyFromRaw, rawPublicKey } from '../audit/index.js';

// C2SP tlog-cosignature v1 (Ed25519): a note signature line over "cosignature/v1\ntime <t>\n" and
// the checkpoint body, whose signature is keyID(4) ‖ timestamp(8, big-endian) ‖ Ed25519(64).
const ALG_COSIGNATURE_V1 = 0x04;
const EM_DASH = '\u2014';

/** The witness name a node cosigns under (a schema-less URL-like name, as C2SP recommends). */
export function witnessName(nodeId: string): string {
  const name = `witness.huitong/${nodeId}`;
  // A note key name has no whitespace and no '+' (node ids are [a-z0-9-]).
  if (/[\s+]/u.test(name)) throw new Error(`invalid witness name ${name}`);
  return name;
}

/** The cosignature key ID: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]. */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ALG_COSIGNATURE_V1]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The signed message: the header and time lines, then the whole checkpoint body. */
export function cosignedMessage(body: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
}

/** The body of a signed note: everything up to the blank line before its signatures. */
export function noteBody(note: string): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('a note needs a blank line before its signatures');
  return note.slice(0, split + 1);
}

/** One cosignature line (`— <name> <base64>` and its newline) over a checkpoint body. */
export function cosign(body: string, name: string, key: KeyObject, time: number): string {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const signature = ed25519Sign(key, cosignedMessage(body, time));
  const value = Buffer.concat([cosignatureKeyId(name, rawPublicKey(key)), stamp, signature]);
  return `${EM_DASH} ${name} ${value.toString('base64')}\n`;
}

/**
 * The time of a cosignature line by `name` under `publicKey` over `body`, or undefined when the
 * line is not that witness's, malformed, or does not verify.
 */
export function verifyCosignature(
  line: string,
  body: string,
  name: string,
  publicKey: Uint8Array,
): number | undefined {
  const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)\n?$/u.exec(line);
  if (!match || match[1] !== name) return undefined;
  const value = Buffer.from(match[2]!, 'base64');
  if (value.length !== 4 + 8 + 64 || !value.subarray(0, 4).equals(cosignatureKeyId(name, publicKey)))
    return undefined;
  const time = Number(value.readBigUInt64BE(4));
  const ok = ed25519Verify(
    publicKeyFromRaw(Buffer.from(publicKey)),
    cosignedMessage(body, time),
    value.subarray(12),
  );
  return ok ? time : undefined;
}

/** Appends cosignature lines to a log's signed checkpoint note (a note may carry many signatures). */
export function withCosignatures(note: string, lines: readonly string[]): string {
  return `${note}${lines.join('')}`;
}
