import { canonicalJson } from './canonical-json.js';
import { type AuditEntry, declaredIndex, entryTags, parseEntry } from './entry.js';
import { asBuffer, leafHash } from './hashes.js';

/** The search columns stored beside an entry, which must say what its bytes say. */
export interface EntryColumns {
  tags: string[];
  ref: number | null;
  time: Date;
}

/** One entry as a log source yields it. */
export interface LogEntryRecord {
  index: number;
  entry: Uint8Array;
  /** The leaf hash stored for it, when the source carries one inline (exports do). */
  leafHash?: Uint8Array | null;
  /** Its search columns, when the source reads them (deep verification of a store). */
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

type Checked = { leaf: Buffer } | { fault: EntryFault };

function columnsDiffer(entry: AuditEntry, c: EntryColumns): string | undefined {
  if ([...c.tags].sort().join('\n') !== entryTags(entry).sort().join('\n')) return 'tags';
  if (c.ref !== entry.ref) return 'ref_index';
  if (c.time.getTime() !== Date.parse(entry.time)) return 'time';
  return undefined;
}

/** The deep checks: the bytes parse, are canonical and agree with the stored columns. */
function deepFault(
  bytes: Buffer,
  expected: number,
  columns: EntryColumns | undefined,
): EntryFault | undefined {
  let entry: AuditEntry;
  try {
    entry = parseEntry(bytes);
  } catch {
    return { code: 'entry_malformed', message: `entry ${expected} is not a valid audit entry` };
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(entry);
  } catch {
    canonical = undefined;
  }
  if (canonical !== bytes.toString('utf8')) {
    return { code: 'entry_not_canonical', message: `entry ${expected} is not in canonical form` };
  }
  const column = columns && columnsDiffer(entry, columns);
  if (column)
    return {
      code: 'columns_mismatch',
      message: `column ${column} of entry ${expected} differs from the entry`,
    };
  return undefined;
}

/**
 * Checks one entry at its expected position and returns its leaf hash. The fast checks (the
 * index it declares, an inline stored leaf hash) always run; `deep` adds parsing, canonical form
 * and the search columns. Content changes are caught either way by the checkpoint roots.
 */
export function checkEntry(record: LogEntryRecord, expected: number, deep: boolean): Checked {
  const bytes = asBuffer(record.entry);
  const declared = declaredIndex(bytes.toString('latin1'));
  if (declared !== expected) {
    const says = declared === undefined ? 'no index' : `index ${declared}`;
    return {
      fault: { code: 'entry_misplaced', message: `the entry at position ${expected} declares ${says}` },
    };
  }
  const fault = deep ? deepFault(bytes, expected, record.columns) : undefined;
  if (fault) return { fault };
  const leaf = leafHash(bytes);
  if (record.leafHash && !leaf.equals(asBuffer(record.leafHash))) {
    return {
      fault: {
        code: 'leaf_hash_mismatch',
        message: `entry ${expected} does not hash to its stored leaf hash: it was altered`,
      },
    };
  }
  return { leaf };
}
