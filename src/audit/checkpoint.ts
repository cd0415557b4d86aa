import { HASH_SIZE } from './hashes.js';
import { NoteError, type NoteSigner, type NoteVerifier, openNote, signNote } from './note.js';

/** A tree head: the log's origin, size and root hash (C2SP tlog-checkpoint). */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** The checkpoint body: origin, size and base64 root, each on its own line. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (checkpoint.origin.length === 0 || /\n/.test(checkpoint.origin)) throw new NoteError('invalid origin');
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
}

/** Parses a checkpoint body; extension lines are allowed and ignored. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines.at(-1) !== '') throw new NoteError('a checkpoint has at least three lines');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (lines.slice(0, -1).some((l) => l.length === 0))
    throw new NoteError('checkpoint lines must not be empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new NoteError('invalid checkpoint tree size');
  }
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootText)
    throw new NoteError('invalid checkpoint root');
  return { origin, size: Number(sizeText), root };
}

/** Signs a checkpoint as a note. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(checkpoint), [signer]);
}

/** Verifies a signed checkpoint and returns its contents; throws NoteError when it fails. */
export function openCheckpoint(note: string, verifier: NoteVerifier, origin?: string): Checkpoint {
  const checkpoint = parseCheckpoint(openNote(note, [verifier]).text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new NoteError(`checkpoint origin ${checkpoint.origin} is not ${origin}`);
  }
  return checkpoint;
}
