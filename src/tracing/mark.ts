import { prf, subKey } from './prf.js';
import { CODE_LENGTH, TardosCode } from './tardos.js';
import type { Tolerance } from './values.js';
import { embedBit } from './values.js';

/**
 * Where each cell's mark goes: its code position and the pad that hides its bit, both a keyed
 * PRF of the resource, the row's key value (as delivered) and the column's item, so they are
 * re-derived from a leaked row alone, whatever order or subset the rows come in.
 */
export class CellLocator {
  private readonly key: Buffer;

  constructor(secret: Buffer, resourceId: string) {
    this.key = subKey(secret, 'cell', resourceId);
  }

  /** The code position and pad bit of the cell (row key, item). */
  locate(rowKey: string, item: string): { position: number; pad: number } {
    const d = prf(this.key, rowKey, item);
    return { position: d.readUInt32BE(0) % CODE_LENGTH, pad: d[4]! & 1 };
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
    codeword: new TardosCode(secret, resourceId).codeword(recipient),
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
    const { position, pad } = plan.locator.locate(rowKey, item);
    out[index] = embedBit(row[index], tolerance, plan.codeword[position]! ^ pad);
  }
  return out;
}
