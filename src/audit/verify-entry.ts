import { canonicalJson } from './canonical-json.js';
import { type AuditEntry, parseEntry } from './entry.js';
import { asBuffer, leafHash } from './hashes.js';

/** The searchable columns stored beside an entry, which must say what its bytes say. */
export interface EntryColumns {
  type: string;
  actorKind: string;
  actorId: string;
  actorOrgId: string | null;
  requestId: string | null;
  resources: string[];
  ref: number | null;
  time: Date;
}

/** One entry as a log source yields it. */
export interface LogEntryRecord {
  index: number;
  entry: Uint8Array;
  /** The leaf hash the store holds for it, when the source has one. */
  leafHash?: Uint8Array | null;
  columns?: EntryColumns;
}

/** What is wrong with an entry, as a stable code and a sentence. */
export interface EntryFault {
  code:
    | 'entry_malformed'
    | 'entry_not_canonical'
    | 'entry_misplaced'
    | 'leaf_hash_mismatch'
    | 'columns_mismatch';
  message: string;
}

function columnsDiffer(entry: AuditEntry, c: EntryColumns): string | undefined {
  const pairs: [string, unknown, unknown][] = [
    ['type', c.type, entry.type],
    ['actor_kind', c.actorKind, entry.actor?.kind],
    ['actor_id', c.actorId, entry.actor?.id],
    ['actor_org_id', c.actorOrgId, entry.actor?.orgId],
    ['request_id', c.requestId, entry.requestId],
    ['resource_codes', JSON.stringify([...c.resources].sort()), JSON.stringify(entry.resources)],
    ['ref_index', c.ref, entry.ref],
    ['time', c.time.getTime(), Date.parse(entry.time)],
  ];
  return pairs.find(([, stored, logged]) => stored !== logged)?.[0];
}

/** Checks one entry at its expected position; returns its leaf hash or the first fault found. */
export function checkEntry(
  record: LogEntryRecord,
  expected: number,
): { leaf: Buffer } | { fault: EntryFault } {
  const bytes = asBuffer(record.entry);
  let entry: AuditEntry;
  try {
    entry = parseEntry(bytes);
  } catch {
    return { fault: { code: 'entry_malformed', message: `entry ${expected} is not a valid audit entry` } };
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(entry);
  } catch {
    canonical = undefined;
  }
  if (canonical !== bytes.toString('utf8')) {
    return { fault: { code: 'entry_not_canonical', message: `entry ${expected} is not in canonical form` } };
  }
  if (entry.index !== expected) {
    return {
      fault: {
        code: 'entry_misplaced',
        message: `the entry at position ${expected} says it is entry ${entry.index}`,
      },
    };
  }
  const leaf = leafHash(bytes);
  if (record.leafHash && !leaf.equals(asBuffer(record.leafHash))) {
    return {
      fault: {
        code: 'leaf_hash_mismatch',
        message: `entry ${expected} does not hash to its stored leaf hash: it was altered`,
      },
    };
  }
  const column = record.columns && columnsDiffer(entry, record.columns);
  if (column) {
    return {
      fault: {
        code: 'columns_mismatch',
        message: `column ${column} of entry ${expected} differs from the entry`,
      },
    };
  }
  return { leaf };
}
