import { openCheckpoint } from './checkpoint.js';
import { MemoryTree } from './memory-tree.js';
import { type NoteVerifier, verifierFromVkey } from './note.js';
import { checkEntry, type EntryFault, type LogEntryRecord } from './verify-entry.js';
import { verifyConsistency } from './verify-proofs.js';

/** A checkpoint as a log source yields it; the stored size and root, when present, must match the note. */
export interface LogCheckpointRecord {
  id: number;
  note: string;
  treeSize?: number;
  rootHash?: Uint8Array;
}

/** A log to verify: a live store or an export. */
export interface LogSource {
  origin: string;
  vkey: string;
  /** Every checkpoint, in signing order. */
  checkpoints: LogCheckpointRecord[];
  /** Entries in index order. */
  entries: AsyncIterable<LogEntryRecord> | Iterable<LogEntryRecord>;
  /** The size and root the source claims for its tree. */
  head?: { treeSize: number; rootHash?: Uint8Array };
  /** The stored leaf hashes of [from, to), read only to name the altered entry once a root disagrees. */
  storedLeaves?: (from: number, to: number) => Promise<Map<number, Buffer>>;
}

/** How thoroughly to verify. */
export interface VerifyOptions {
  /** Also parse every entry, check its canonical form and its search columns (slower). */
  deep?: boolean;
}

/** Stable codes of what verification can find. */
export type VerifyCode =
  | EntryFault['code']
  | 'invalid_vkey'
  | 'missing_entry'
  | 'duplicate_entry'
  | 'checkpoint_signature'
  | 'checkpoint_columns'
  | 'checkpoint_fork'
  | 'checkpoint_root_mismatch'
  | 'checkpoint_inconsistent'
  | 'truncated'
  | 'head_mismatch';

/**
 * The first thing found wrong. `index` is the first entry that can no longer be trusted: for an
 * entry fault, that entry; for a checkpoint fault, the first entry after the last checkpoint
 * that verified below the bad one (the divergence lies at or after it).
 */
export interface VerifyProblem {
  index: number;
  code: VerifyCode;
  message: string;
  checkpointId?: number;
  treeSize?: number;
}

/** The outcome of verifying a whole log. */
export interface VerifyReport {
  ok: boolean;
  /** Entries recomputed (up to the problem, if any). */
  treeSize: number;
  /** Base64 root of the recomputed tree. */
  rootHash: string;
  checkpointsVerified: number;
  problem?: VerifyProblem;
}

interface Good {
  size: number;
  root: Buffer;
}

class Verification {
  readonly tree = new MemoryTree();
  private next = 0;
  private verified: Good[] = [];
  private readonly bySize: LogCheckpointRecord[];

  constructor(
    private readonly source: LogSource,
    private readonly verifier: NoteVerifier,
    private readonly deep: boolean,
  ) {
    const checkpoints = source.checkpoints;
    // Stable: checkpoints of one size keep signing order.
    this.bySize = [...checkpoints]
      .map((c) => ({ c, size: sizeOf(c) }))
      .sort((a, b) => a.size - b.size)
      .map((x) => x.c);
  }

  get checkpointsVerified(): number {
    return this.verified.length;
  }

  async addEntry(record: LogEntryRecord): Promise<VerifyProblem | undefined> {
    const expected = this.tree.size;
    if (record.index > expected) {
      return { index: expected, code: 'missing_entry', message: `entry ${expected} is missing` };
    }
    if (record.index < expected) {
      return {
        index: record.index,
        code: 'duplicate_entry',
        message: `entry ${record.index} appears twice or out of order`,
      };
    }
    const checked = checkEntry(record, expected, this.deep);
    if ('fault' in checked) return { index: expected, ...checked.fault };
    this.tree.append(checked.leaf);
    const due = this.bySize[this.next];
    return due && sizeOf(due) <= this.tree.size ? this.checkpointsAtSize() : undefined;
  }

  /** Checks every checkpoint whose size the tree has now reached. */
  async checkpointsAtSize(): Promise<VerifyProblem | undefined> {
    for (let c = this.bySize[this.next]; c && sizeOf(c) <= this.tree.size; c = this.bySize[++this.next]) {
      const problem = await this.checkCheckpoint(c);
      if (problem) return problem;
    }
    return undefined;
  }

  /** After the last entry: checkpoints beyond it mean the log lost its tail; the head must match. */
  async finish(): Promise<VerifyProblem | undefined> {
    const head = this.source.head;
    const beyond = this.bySize[this.next];
    const size = this.tree.size;
    if (beyond) {
      const message = `checkpoint ${beyond.id} commits to ${sizeOf(beyond)} entries but the log ends at ${size}`;
      return { index: size, code: 'truncated', message, checkpointId: beyond.id, treeSize: sizeOf(beyond) };
    }
    if (head && head.treeSize !== size) {
      const message = `the head records ${head.treeSize} entries but ${size} were found`;
      return {
        index: Math.min(size, head.treeSize),
        code: head.treeSize > size ? 'truncated' : 'head_mismatch',
        message,
      };
    }
    if (head?.rootHash && !this.tree.root().equals(head.rootHash)) {
      const from = this.trustedFrom(size + 1);
      const message = 'the head root does not match the entries';
      return (await this.alteredLeaf(from, size)) ?? { index: from, code: 'head_mismatch', message };
    }
    return undefined;
  }

  /** Names the first entry in [from, to) whose stored leaf hash differs from its recomputed one. */
  private async alteredLeaf(from: number, to: number): Promise<VerifyProblem | undefined> {
    if (!this.source.storedLeaves || from >= to) return undefined;
    const stored = await this.source.storedLeaves(from, to);
    for (let i = from; i < to; i++) {
      const hash = stored.get(i);
      if (hash && !hash.equals(this.tree.leaf(i))) {
        const message = `entry ${i} does not hash to its stored leaf hash: it was altered`;
        return { index: i, code: 'leaf_hash_mismatch', message };
      }
    }
    return undefined;
  }

  private trustedFrom(size: number): number {
    return this.verified.filter((g) => g.size < size).reduce((max, g) => Math.max(max, g.size), 0);
  }

  private async checkCheckpoint(record: LogCheckpointRecord): Promise<VerifyProblem | undefined> {
    const size = sizeOf(record);
    const at = { index: this.trustedFrom(size), checkpointId: record.id, treeSize: size };
    let checkpoint: ReturnType<typeof openCheckpoint>;
    try {
      checkpoint = openCheckpoint(record.note, this.verifier, this.source.origin);
    } catch (error) {
      return {
        ...at,
        code: 'checkpoint_signature',
        message: `checkpoint ${record.id}: ${(error as Error).message}`,
      };
    }
    if ((record.rootHash && !checkpoint.root.equals(record.rootHash)) || checkpoint.size !== size) {
      return {
        ...at,
        code: 'checkpoint_columns',
        message: `checkpoint ${record.id}'s stored size or root differs from its note`,
      };
    }
    const root = this.tree.root(size);
    const twin = this.verified.find((g) => g.size === size && !g.root.equals(checkpoint.root));
    if (twin) {
      return {
        ...at,
        code: 'checkpoint_fork',
        message: `two signed checkpoints of size ${size} have different roots`,
      };
    }
    if (!checkpoint.root.equals(root)) {
      const altered = await this.alteredLeaf(at.index, size);
      if (altered) return altered;
      const message = `checkpoint ${record.id} (size ${size}) does not match the entries: one in [${at.index}, ${size}) was altered, or the log forked`;
      return { ...at, code: 'checkpoint_root_mismatch', message };
    }
    const previous = this.verified.at(-1);
    if (previous && previous.size > 0 && previous.size < size) {
      const proof = this.tree.consistencyProof(previous.size, size);
      if (!verifyConsistency(previous.size, size, previous.root, checkpoint.root, proof)) {
        const message = `checkpoint ${record.id} is not consistent with the checkpoint of size ${previous.size}`;
        return { ...at, code: 'checkpoint_inconsistent', message };
      }
    }
    this.verified.push({ size, root: checkpoint.root });
    return undefined;
  }
}

function sizeOf(record: LogCheckpointRecord): number {
  if (record.treeSize !== undefined) return record.treeSize;
  const line = record.note.split('\n')[1] ?? '';
  return /^\d+$/.test(line) ? Number(line) : 0;
}

/**
 * Recomputes the whole tree from the entries, checks every checkpoint's signature, its root
 * against the tree at its size and its consistency with the previous one, and reports the
 * first problem. Memory: ~64 bytes per entry.
 */
export async function verifyLog(source: LogSource, options: VerifyOptions = {}): Promise<VerifyReport> {
  let verifier: NoteVerifier;
  try {
    verifier = verifierFromVkey(source.vkey);
  } catch (error) {
    const problem: VerifyProblem = { index: 0, code: 'invalid_vkey', message: (error as Error).message };
    return { ok: false, treeSize: 0, rootHash: '', checkpointsVerified: 0, problem };
  }
  const run = new Verification(source, verifier, options.deep ?? false);
  let problem = await run.checkpointsAtSize();
  if (!problem) {
    for await (const record of source.entries) {
      problem = await run.addEntry(record);
      if (problem) break;
    }
  }
  problem ??= await run.finish();
  return {
    ok: problem === undefined,
    treeSize: run.tree.size,
    rootHash: run.tree.root().toString('base64'),
    checkpointsVerified: run.checkpointsVerified,
    ...(problem ? { problem } : {}),
  };
}
