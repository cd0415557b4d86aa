import { createHash, type KeyObject } from 'node:crypto';
import { ed25519Sign, ed25519Verify, publicKeyFromRaw, rawPublicKey } from './ed25519.js';

/** Signs notes under a key name (C2SP signed-note). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: Buffer;
  sign(message: Uint8Array): Buffer;
}

/** Checks one key's signatures on notes. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Why a note was refused. */
export class NoteError extends Error {
  override name = 'NoteError';
}

const ALG_ED25519 = 0x01;
const EM_DASH = '\u2014';

/** Whether a key name is allowed: non-empty, no whitespace, no '+'. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** The 4-byte key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): Buffer {
  const hash = createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ALG_ED25519]))
    .update(publicKey)
    .digest();
  return hash.subarray(0, 4);
}

/** The verifier key string `<name>+<8 hex key id>+base64(0x01 ‖ public key)` that standard tools accept. */
export function vkeyOf(name: string, publicKey: Uint8Array): string {
  const encoded = Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64');
  return `${name}+${ed25519KeyId(name, publicKey).toString('hex')}+${encoded}`;
}

/** A signer for an Ed25519 private key. */
export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  if (!isKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  return {
    name,
    keyId: ed25519KeyId(name, rawPublicKey(privateKey)),
    sign: (m) => ed25519Sign(privateKey, m),
  };
}

/** A verifier from a vkey string; throws NoteError when it is malformed or its key ID does not match. */
export function verifierFromVkey(vkey: string): NoteVerifier {
  // The base64 key may itself contain '+', so only the first two separate fields.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!match) throw new NoteError('a vkey is <name>+<key id>+<key>');
  const [, name, idHex, encoded] = match as unknown as [string, string, string, string];
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('malformed vkey name or key id');
  const key = Buffer.from(encoded, 'base64');
  if (key.toString('base64') !== encoded || key.length !== 33 || key[0] !== ALG_ED25519)
    throw new NoteError('only Ed25519 vkeys are supported');
  const raw = key.subarray(1);
  const keyId = ed25519KeyId(name, raw);
  if (keyId.toString('hex') !== idHex) throw new NoteError('the vkey key id does not match its key');
  const publicKey = publicKeyFromRaw(raw);
  return { name, keyId, verify: (m, s) => ed25519Verify(publicKey, m, s) };
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('note text must end in a newline');
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) throw new NoteError('note text has control characters');
  }
}

/** Signs a note text (which ends in '\n') with each signer; returns the whole note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => {
    const signature = Buffer.concat([s.keyId, s.sign(message)]).toString('base64');
    return `${EM_DASH} ${s.name} ${signature}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/** A note whose signature by a known key verified. */
export interface OpenedNote {
  text: string;
  /** Names of the known keys whose signatures verified. */
  verifiedBy: string[];
}

/** Verifies a note: rejects it when a known key's signature fails or no known key signed it. */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('a note needs a blank line before its signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  const sigLines = note.slice(split + 2);
  if (!sigLines.endsWith('\n')) throw new NoteError('signature lines must end in a newline');
  const message = Buffer.from(text, 'utf8');
  const verifiedBy: string[] = [];
  const lines = sigLines.slice(0, -1).split('\n');
  if (lines.length > 100) throw new NoteError('too many signatures');
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/u.exec(line);
    if (!match) throw new NoteError('malformed signature line');
    const signature = Buffer.from(match[2]!, 'base64');
    if (signature.length < 5) throw new NoteError('signature too short');
    const id = signature.subarray(0, 4);
    const known = verifiers.find((v) => v.name === match[1] && v.keyId.equals(id));
    if (!known) continue;
    if (!known.verify(message, signature.subarray(4)))
      throw new NoteError(`signature by ${known.name} does not verify`);
    verifiedBy.push(known.name);
  }
  if (verifiedBy.length === 0) throw new NoteError('no signature by a known key');
  return { text, verifiedBy };
}
