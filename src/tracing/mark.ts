import { prf, subKey } from './prf.js';
import { CODE_LENGTH, TardosCode } from './tardos.js';
import type { Tolerance } from './values.js';
import { embedBit } from './values.js';

/**
 * Cells located lately, per resource (its cell key, base64): position × 2 + pad by item and row
 * key. A locator is made per delivery and per trace, and each cell costs an HMAC; re-marking or
 * re-reading the same rows reuses them. At most LOCATIONS_KEPT in all, least recent resource
 * dropped first.
 */
const LOCATIONS_KEPT = 1 << 18;
interface Located {
  byItem: Map<string, Map<string, number>>;
  count: number;
}
const located = new Map<string, Located>();
let locatedCount = 0;

function locationsOf(id: string): Located {
  let cells = located.get(id);
  if (cells) located.delete(id);
  else cells = { byItem: new Map(), count: 0 };
  located.set(id, cells);
  return cells;
}

/** Room for one more located cell of `cells`, dropping other resources' cells first; false if none. */
function roomFor(cells: Located): boolean {
  for (const [id, other] of located) {
    if (locatedCount < LOCATIONS_KEPT) break;
    if (other === cells) continue;
    located.delete(id);
    locatedCount -= other.count;
  }
  return locatedCount < LOCATIONS_KEPT;
}

/**
 * Where each cell's mark goes: its code position and the pad that hides its bit, both a keyed
 * PRF of the resource, the row's key value (as delivered) and the column's item, so they are
 * re-derived from a leaked row alone, whatever order or subset the rows come in.
 */
export class CellLocator {
  private readonly key: Buffer;
  private readonly id: string;
  private readonly cells: Located;

  constructor(secret: Buffer, resourceId: string) {
    this.key = subKey(secret, 'cell', resourceId);
    this.id = this.key.toString('base64');
    this.cells = locationsOf(this.id);
  }

  /** The code position and pad bit of the cell (row key, item). */
  locate(rowKey: string, item: string): { position: number; pad: number } {
    const cell = this.cell(rowKey, item);
    return { position: cell >>> 1, pad: cell & 1 };
  }

  /** The cell's code position × 2 + its pad bit (locate without an object per cell). */
  cell(rowKey: string, item: string): number {
    let rows = this.cells.byItem.get(item);
    let cell = rows?.get(rowKey);
    if (cell === undefined) {
      const d = prf(this.key, rowKey, item);
      cell = (d.readUInt32BE(0) % CODE_LENGTH) * 2 + (d[4]! & 1);
      // Cells of a resource dropped meanwhile are read from, not added to (the count stays true).
      if (located.get(this.id) === this.cells && roomFor(this.cells)) {
        if (!rows) {
          rows = new Map();
          this.cells.byItem.set(item, rows);
        }
        rows.set(rowKey, cell);
        this.cells.count++;
        locatedCount++;
      }
    }
    return cell;
  }
}

/** The marks of one delivery: which delivered columns carry them, for which recipient. */
export interface MarkPlan {
  /** Index of the row-key column among the delivered columns. */
  keyIndex: number;
  /** The tolerant columns delivered: their index, item (the PRF's input) and tolerance. */
  columns: ReadonlyArray<{ index: number; item: string; tolerance: Tolerance }>;
  locator: CellLocator;
  /** The recipient's codeword. */
  codeword: Uint8Array;
}

/** The marks of one resource for one recipient, from the platform's trace secret. */
export function markPlan(
  secret: Buffer,
  resourceId: string,
  recipient: string,
  keyIndex: number,
  columns: MarkPlan['columns'],
): MarkPlan {
  return {
    keyIndex,
    columns,
    locator: new CellLocator(secret, resourceId),
    codeword: TardosCode.of(secret, resourceId).codeword(recipient),
  };
}

/**
 * A row with its marks: only the plan's tolerant columns change, each by at most its tolerance;
 * every other value is the very same value. A row without a key is delivered as it is.
 */
export function markRow(plan: MarkPlan, row: readonly unknown[]): unknown[] {
  const out = [...row];
  const key = row[plan.keyIndex];
  if (key === null || key === undefined || key === '') return out;
  const rowKey = String(key);
  for (const { index, item, tolerance } of plan.columns) {
    const cell = plan.locator.cell(rowKey, item);
    out[index] = embedBit(row[index], tolerance, plan.codeword[cell >>> 1]! ^ (cell & 1));
  }
  return out;
}
