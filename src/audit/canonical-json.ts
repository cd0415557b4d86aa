import { BadRequestError } from '../errors/index.js';

/** A value that canonical JSON can carry: no floats, no undefined, plain objects only. */
export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | CanonicalValue[]
  | { [key: string]: CanonicalValue };

function fail(path: string, why: string): never {
  throw new BadRequestError('invalid_audit_value', `${path}: ${why}`, { path });
}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) return void out.push('null');
  switch (typeof value) {
    case 'boolean':
      return void out.push(value ? 'true' : 'false');
    case 'string':
      // JSON.stringify escapes strings exactly as RFC 8785 (ECMAScript serialisation) does.
      return void out.push(JSON.stringify(value));
    case 'number':
      // Floats have no single textual form across languages, so hashed fields carry integers only.
      if (!Number.isSafeInteger(value)) fail(path, `${value} is not a safe integer (floats are not allowed)`);
      return void out.push(Object.is(value, -0) ? '0' : String(value));
    case 'object':
      break;
    default:
      fail(path, `a ${typeof value} cannot be logged`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, `${path}[${i}]`, out);
    });
    return void out.push(']');
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(path, 'only plain objects can be logged');
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], `${path}.${key}`, out);
  });
  out.push('}');
}

/** Serialises a value as canonical JSON (RFC 8785 without floats): sorted keys, no whitespace. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '$', out);
  return out.join('');
}

/** The canonical UTF-8 bytes of a value. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
