import type { Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import { signCheckpoint } from './checkpoint.js';
import { frontierRoot } from './frontier.js';
import type { Head } from './head.js';
import type { NoteSigner } from './note.js';

/** A checkpoint as stored. */
export interface StoredCheckpoint {
  id: number;
  treeSize: number;
  rootHash: Buffer;
  /** The signed note, verifiable with the log's vkey. */
  note: string;
  createdAt: Date;
}

/**
 * Signs and stores a checkpoint of the head, inside the transaction that holds the head lock:
 * checkpoints are therefore signed in tree order and never of two different trees of one size.
 */
export async function signHead(
  trx: Transaction<Database>,
  head: Head,
  origin: string,
  signer: NoteSigner,
): Promise<{ head: Head; checkpoint: StoredCheckpoint }> {
  const rootHash = frontierRoot(head.frontier);
  const treeSize = head.frontier.size;
  const note = signCheckpoint({ origin, size: treeSize, root: rootHash }, signer);
  const createdAt = new Date();
  const { id } = await trx
    .insertInto('audit_checkpoints')
    .values({ tree_size: treeSize, root_hash: rootHash, note, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    head: { ...head, checkpointSize: treeSize },
    checkpoint: { id: Number(id), treeSize, rootHash, note, createdAt },
  };
}
