// A binlog position is a file name and an offset, not a GTID: MariaDB's GTIDs differ from MySQL's,
// and a file and offset mean the same on both.
import { ConflictError } from '../../errors/index.js';

/** Where a binlog capture stands: a file and the byte after the last transaction handled. */
export interface BinlogPosition {
  file: string;
  pos: number;
}

/** The position as the opaque string callers store. */
export const positionText = (p: BinlogPosition) => JSON.stringify({ file: p.file, pos: p.pos });

/** A stored position read back; anything else is refused rather than read from the wrong place. */
export function parsePosition(text: string): BinlogPosition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const p = value as Partial<BinlogPosition> | null;
  if (!p || typeof p.file !== 'string' || typeof p.pos !== 'number' || !Number.isInteger(p.pos))
    throw new ConflictError('capture_position_lost', 'The stored position is not a binlog position');
  return { file: p.file, pos: p.pos };
}
