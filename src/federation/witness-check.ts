import { type Checkpoint, verifyConsistency } from '../audit/index.js';

/** A consistency proof from `from` entries to `to` entries, or undefined when the log refuses one. */
export type ProofSource = (from: number, to: number) => Promise<Buffer[] | undefined>;

/** What a witness concludes from a peer's new checkpoint. */
export type Verdict =
  | { kind: 'new' }
  | { kind: 'same' }
  | { kind: 'fork' | 'rollback'; agreedSize: number; divergedBy: number };

/** Whether the tree `offered` extends the tree `seen` (the same tree, or a proof that verifies). */
async function extends_(seen: Checkpoint, offered: Checkpoint, proof: ProofSource): Promise<boolean> {
  if (seen.size > offered.size) return false;
  if (seen.size === offered.size) return seen.root.equals(offered.root);
  if (seen.size === 0) return true;
  const path = await proof(seen.size, offered.size);
  return path !== undefined && verifyConsistency(seen.size, offered.size, seen.root, offered.root, path);
}

/**
 * Where two histories part: a binary search over the checkpoints the witness saw (oldest first,
 * each consistent with the one before) for the last one the offered tree still extends. The
 * histories agree on its entries and differ within the next one's: the index is exact when the
 * witness saw consecutive sizes, otherwise a range as narrow as the checkpoints it saw.
 */
export async function locateDivergence(
  seen: readonly Checkpoint[],
  offered: Checkpoint,
  proof: ProofSource,
): Promise<{ agreedSize: number; divergedBy: number }> {
  let lo = -1;
  let hi = seen.length - 1; // the latest seen is known not to be extended
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await extends_(seen[mid]!, offered, proof)) lo = mid;
    else hi = mid;
  }
  return { agreedSize: lo >= 0 ? seen[lo]!.size : 0, divergedBy: seen[hi]!.size };
}

/**
 * Judges a peer's checkpoint (its signature already checked) against what the witness saw:
 * larger and proven consistent → new; the same → same; smaller → rollback; the same size with
 * another root, or a proof that fails → fork, located among the seen checkpoints.
 */
export async function judgeCheckpoint(
  seen: readonly Checkpoint[],
  offered: Checkpoint,
  proof: ProofSource,
): Promise<Verdict> {
  const latest = seen.at(-1);
  if (!latest) return { kind: 'new' };
  if (offered.size === latest.size && offered.root.equals(latest.root)) return { kind: 'same' };
  if (offered.size > latest.size && (await extends_(latest, offered, proof))) return { kind: 'new' };
  const kind = offered.size < latest.size ? 'rollback' : 'fork';
  return { kind, ...(await locateDivergence(seen, offered, proof)) };
}
