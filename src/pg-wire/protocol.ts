// Backend messages the listener writes and the bodies of the frontend messages it reads
// (https://www.postgresql.org/docs/current/protocol-message-formats.html). pg-gateway frames the
// stream, negotiates TLS and runs the authentication; these are the query phase's messages.

/** A backend message: its type byte, its length, its body. */
export function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type.charCodeAt(0);
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');
const int16 = (n: number) => {
  const b = Buffer.allocUnsafe(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n);
  return b;
};

/** A column of a row description: its name and type OID. */
export interface WireField {
  name: string;
  oid: number;
  /** Size of the type (pg_type.typlen), -1 when variable. */
  size: number;
}

/** RowDescription (T): every column in text format. */
export function rowDescription(fields: WireField[]): Buffer {
  const parts: Buffer[] = [int16(fields.length)];
  for (const f of fields) {
    parts.push(cstring(f.name), int32(0), int16(0), int32(f.oid), int16(f.size), int32(-1), int16(0));
  }
  return message('T', Buffer.concat(parts));
}

/** DataRow (D) of text values (null as -1). */
export function dataRow(values: (string | null)[]): Buffer {
  let size = 2;
  const encoded: (Buffer | null)[] = values.map((v) => {
    if (v === null) {
      size += 4;
      return null;
    }
    const b = Buffer.from(v, 'utf8');
    size += 4 + b.length;
    return b;
  });
  const out = Buffer.allocUnsafe(5 + size);
  out[0] = 0x44;
  out.writeInt32BE(4 + size, 1);
  out.writeInt16BE(values.length, 5);
  let at = 7;
  for (const b of encoded) {
    if (b === null) {
      out.writeInt32BE(-1, at);
      at += 4;
    } else {
      out.writeInt32BE(b.length, at);
      b.copy(out, at + 4);
      at += 4 + b.length;
    }
  }
  return out;
}

/** CommandComplete (C). */
export const commandComplete = (tag: string) => message('C', cstring(tag));
/** ReadyForQuery (Z): idle, or in a (trivial) transaction block. */
export const readyForQuery = (status: 'I' | 'T' | 'E' = 'I') => message('Z', Buffer.from(status));
/** EmptyQueryResponse (I). */
export const emptyQuery = () => message('I');
/** ParseComplete (1). */
export const parseComplete = () => message('1');
/** BindComplete (2). */
export const bindComplete = () => message('2');
/** CloseComplete (3). */
export const closeComplete = () => message('3');
/** NoData (n). */
export const noData = () => message('n');
/** PortalSuspended (s): the row limit of an Execute was reached. */
export const portalSuspended = () => message('s');
/** ParameterDescription (t). */
export const parameterDescription = (oids: number[]) =>
  message('t', Buffer.concat([int16(oids.length), ...oids.map(int32)]));
/** ParameterStatus (S). */
export const parameterStatus = (name: string, value: string) =>
  message('S', Buffer.concat([cstring(name), cstring(value)]));
/** BackendKeyData (K): what a cancel request names. */
export const backendKeyData = (pid: number, secret: number) =>
  message('K', Buffer.concat([int32(pid), int32(secret)]));
/** CopyOutResponse (H): text format, `columns` columns. */
export const copyOutResponse = (columns: number) =>
  message(
    'H',
    Buffer.concat([Buffer.from([0]), int16(columns), ...Array.from({ length: columns }, () => int16(0))]),
  );
/** CopyData (d). */
export const copyData = (data: Buffer) => message('d', data);
/** CopyDone (c). */
export const copyDone = () => message('c');

/** ErrorResponse (E) or NoticeResponse (N): severity, SQLSTATE, message, and an optional hint. */
export function errorResponse(
  error: { code: string; message: string; hint?: string; severity?: 'ERROR' | 'FATAL' },
  type: 'E' | 'N' = 'E',
): Buffer {
  const severity = error.severity ?? (type === 'N' ? 'NOTICE' : 'ERROR');
  const fields = [`S${severity}`, `V${severity}`, `C${error.code}`, `M${error.message}`];
  if (error.hint) fields.push(`H${error.hint}`);
  return message(type, Buffer.concat([...fields.map(cstring), Buffer.from([0])]));
}

/** Reads the body of a frontend message. */
export class Reader {
  private at = 0;
  constructor(private readonly body: Buffer) {}
  byte(): number {
    return this.body[this.at++]!;
  }
  int16(): number {
    const v = this.body.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32(): number {
    const v = this.body.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  cstring(): string {
    const end = this.body.indexOf(0, this.at);
    if (end < 0) throw new Error('Unterminated string');
    const text = this.body.toString('utf8', this.at, end);
    this.at = end + 1;
    return text;
  }
  bytes(n: number): Buffer {
    const b = this.body.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
}

/** Parse (P). */
export function readParse(r: Reader) {
  const name = r.cstring();
  const sql = r.cstring();
  const n = r.int16();
  const types = Array.from({ length: n }, () => r.int32());
  return { name, sql, types };
}

/** Bind (B): parameter values as text (a binary one is refused by the caller). */
export function readBind(r: Reader) {
  const portal = r.cstring();
  const statement = r.cstring();
  const formats = Array.from({ length: r.int16() }, () => r.int16());
  const values = Array.from({ length: r.int16() }, () => {
    const length = r.int32();
    return length < 0 ? null : r.bytes(length);
  });
  const resultFormats = Array.from({ length: r.int16() }, () => r.int16());
  return { portal, statement, formats, values, resultFormats };
}

/** Execute (E). */
export function readExecute(r: Reader) {
  return { portal: r.cstring(), maxRows: r.int32() };
}

/** Describe (D) or Close (C): `S` statement or `P` portal, and its name. */
export function readTarget(r: Reader) {
  return { kind: String.fromCharCode(r.byte()) as 'S' | 'P', name: r.cstring() };
}
