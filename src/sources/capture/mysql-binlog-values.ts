/// <reference path="./mysql-zongji.d.ts" />
import listenerValues from '@powersync/mysql-zongji/lib/common.js';

// Values as the MySQL connector's reads give them (mysql2 with supportBigNumbers, decimals as
// text, DATE as 'YYYY-MM-DD', DATETIME as a Date read as UTC, booleans for tinyint(1)/bit(1)),
// so that a subscriber sees the same value in the snapshot and in later changes. The listener
// gives most of these already (DATE through its `dateStrings` option); two need help here.

const NEWDECIMAL = 246;
const COMPRESSED_BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

interface BinlogParser {
  _buffer: Buffer;
  _offset: number;
}
interface BinlogColumn {
  type: number;
  metadata: { precision: number; decimals: number };
}

/**
 * A DECIMAL column's value as exact text with its scale ('12.50'), as mysql2 reads it. The
 * listener's own decoder ends in parseFloat, which loses digits past 15 and the trailing zeros.
 */
export function decodeDecimal(parser: BinlogParser, column: BinlogColumn): string {
  const scale = column.metadata.decimals;
  const integral = column.metadata.precision - scale;
  const fullInt = Math.floor(integral / 9);
  const fullFrac = Math.floor(scale / 9);
  const partInt = integral - fullInt * 9;
  const partFrac = scale - fullFrac * 9;
  const size =
    fullInt * 4 + (COMPRESSED_BYTES[partInt] ?? 0) + fullFrac * 4 + (COMPRESSED_BYTES[partFrac] ?? 0);
  // A copy: the packet's bytes stay as they came.
  const buf = Buffer.from(parser._buffer.subarray(parser._offset, parser._offset + size));
  parser._offset += size;
  const negative = ((buf[0] ?? 0) & 0x80) === 0;
  buf[0] = (buf[0] ?? 0) ^ 0x80;
  // A negative value is stored with every bit inverted.
  if (negative) for (let i = 0; i < buf.length; i++) buf[i] = ~(buf[i] ?? 0) & 0xff;
  let pos = 0;
  const take = (bytes: number, digits: number) => {
    const text = bytes > 0 ? String(buf.readUIntBE(pos, bytes)).padStart(digits, '0') : '';
    pos += bytes;
    return text;
  };
  let whole = take(COMPRESSED_BYTES[partInt] ?? 0, partInt);
  for (let i = 0; i < fullInt; i++) whole += take(4, 9);
  let fraction = '';
  for (let i = 0; i < fullFrac; i++) fraction += take(4, 9);
  fraction += take(COMPRESSED_BYTES[partFrac] ?? 0, partFrac);
  whole = whole.replace(/^0+/, '') || '0';
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

let patched = false;

/**
 * Makes the listener decode DECIMAL exactly (decodeDecimal). It has no option for it; its row
 * decoder calls `readMysqlValue` through the module's exports, so that one function is wrapped,
 * once per process, for every value it reads.
 */
export function patchListenerDecimals(): void {
  if (patched) return;
  const common = listenerValues as unknown as {
    readMysqlValue: (parser: BinlogParser, column: BinlogColumn, ...rest: unknown[]) => unknown;
  };
  const original = common.readMysqlValue;
  common.readMysqlValue = (parser, column, ...rest) =>
    column.type === NEWDECIMAL ? decodeDecimal(parser, column) : original(parser, column, ...rest);
  patched = true;
}

// MySQL has no boolean type on the wire: as the connector does for columns it describes as boolean.
const toBoolean = (v: unknown) =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v[0] === 1 : Boolean(Number(v));

/** A row as reads give it: the columns described as boolean (tinyint(1), bit(1)) made booleans. */
export function readValues(
  row: Record<string, unknown>,
  booleans: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const name of booleans) if (name in out) out[name] = toBoolean(out[name]);
  return out;
}
