import type { Kysely } from 'kysely';
import { inclusionProof, latestCheckpoint } from '../audit/index.js';
import type { Database } from '../store/index.js';
import type { TraceReport } from './report-schema.js';

/** Release entries proved per suspect: the most recent ones (a suspect may have thousands). */
const PROVED_PER_SUSPECT = 10;
/** Suspects proved when nobody is accused: the investigation starts with the highest scores. */
const PROVED_WHEN_NONE_ACCUSED = 3;

/** One release entry's inclusion proof against the signed checkpoint of the evidence. */
export interface EntryProof {
  recipient: string;
  index: number;
  leafHash: string;
  path: string[];
}

/** What an investigator verifies a suspect's releases with, offline. */
export interface EvidenceProofs {
  checkpoint: { treeSize: number; rootHash: string; note: string; signedAt: string } | null;
  proofs: EntryProof[];
  /** Entries appended after the checkpoint: provable once the next checkpoint is signed. */
  pending: Array<{ recipient: string; index: number }>;
}

/**
 * Inclusion proofs of the accused recipients' release entries (or, when nobody is accused, of the
 * first suspects'), against the latest signed checkpoint: the checkpoint's signed note and each
 * entry's audit path let anyone with the log's public key check, without the platform, that the
 * platform logged those deliveries and cannot have altered them since. The caller signs a fresh
 * checkpoint first so that recent releases are covered.
 */
export async function evidenceProofs(db: Kysely<Database>, report: TraceReport): Promise<EvidenceProofs> {
  const checkpoint = await latestCheckpoint(db);
  const accused = report.suspects.filter((s) => s.accused);
  const proved = accused.length > 0 ? accused : report.suspects.slice(0, PROVED_WHEN_NONE_ACCUSED);
  const proofs: EntryProof[] = [];
  const pending: EvidenceProofs['pending'] = [];
  for (const suspect of proved)
    for (const { index } of suspect.releases.slice(-PROVED_PER_SUSPECT)) {
      if (!checkpoint || index >= checkpoint.treeSize) {
        pending.push({ recipient: suspect.recipient, index });
        continue;
      }
      const proof = await inclusionProof(db, index, checkpoint.treeSize);
      proofs.push({
        recipient: suspect.recipient,
        index,
        leafHash: proof.leafHash.toString('hex'),
        path: proof.path.map((h) => h.toString('hex')),
      });
    }
  return {
    checkpoint: checkpoint
      ? {
          treeSize: checkpoint.treeSize,
          rootHash: checkpoint.rootHash.toString('hex'),
          note: checkpoint.note,
          signedAt: checkpoint.createdAt.toISOString(),
        }
      : null,
    proofs,
    pending,
  };
}
