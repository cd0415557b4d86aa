import { refused } from './errors.js';

// 2000-01-01, PostgreSQL's epoch for binary dates and timestamps.
const EPOCH_MS = Date.UTC(2000, 0, 1);

// The binary forms drivers send for typed parameters (JDBC's setInt, setLong, setDouble,
// setBoolean, setDate …), as the text they stand for.
const BINARY: Record<number, (b: Buffer) => string> = {
  16: (b) => (b[0] ? 'true' : 'false'),
  20: (b) => b.readBigInt64BE().toString(),
  21: (b) => String(b.readInt16BE()),
  23: (b) => String(b.readInt32BE()),
  26: (b) => String(b.readUInt32BE()),
  700: (b) => String(b.readFloatBE()),
  701: (b) => String(b.readDoubleBE()),
  25: (b) => b.toString('utf8'),
  1043: (b) => b.toString('utf8'),
  1082: (b) => new Date(EPOCH_MS + b.readInt32BE() * 86_400_000).toISOString().slice(0, 10),
  1114: (b) => timestamp(b).replace('Z', ''),
  1184: (b) => timestamp(b),
};

function timestamp(b: Buffer): string {
  const micros = b.readBigInt64BE();
  const ms = Number(micros / 1000n);
  const rest = Number(micros % 1000n);
  const iso = new Date(EPOCH_MS + ms).toISOString();
  return rest ? iso.replace(/(\.\d{3})Z$/, `$1${String(Math.abs(rest)).padStart(3, '0')}Z`) : iso;
}

/**
 * A Bind's parameter values as text: the format codes apply as the protocol says (none: all
 * text; one: to every value; else one each); a binary value of a type above is decoded, of any
 * other type refused.
 */
export function parameterTexts(
  values: (Buffer | null)[],
  formats: number[],
  types: number[],
): (string | null)[] {
  return values.map((value, i) => {
    if (value === null) return null;
    const format = formats.length === 1 ? formats[0] : (formats[i] ?? 0);
    if (format !== 1) return value.toString('utf8');
    const decode = BINARY[types[i] ?? 0];
    if (!decode)
      throw refused(
        '0A000',
        `binary parameter ${i + 1} of type ${types[i] ?? 0} is not supported; send it as text`,
      );
    return decode(value);
  });
}
