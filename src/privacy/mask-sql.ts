import { PrivacyError } from './errors.js';
import { type HmacKey, hmacPads } from './hmac-key.js';
import { type MaskSpec, normalizeMask } from './mask-spec.js';
import { lit, SQL_DIALECTS, type SqlDialect, type SqlDialectName } from './sql-dialects.js';
import { COMPOUND_SURNAMES } from './surnames.js';

/** Options of the SQL builders. */
export interface MaskSqlOptions {
  /** The key of the `hmac` mask. */
  hmacKey?: HmacKey;
  /**
   * Binds a hex string and returns its placeholder (`$3`, `?`); called in the order the placeholders
   * appear in the returned text. Given, the HMAC pads travel as
   * bound parameters; absent, they are inlined as hex literals (safe, but visible in query logs).
   */
  bind?: (hex: string) => string;
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new PrivacyError('invalid_mask_spec', 'mask counts are non-negative integers');
  return String(n);
};

function keepEnds(d: SqlDialect, x: string, first: number, last: number): string {
  const star = lit('*');
  const len = d.len(x);
  const middle = d.repeat(star, `${len} - ${int(first + last)}`);
  const parts = [
    ...(first > 0 ? [d.left(x, int(first))] : []),
    middle,
    ...(last > 0 ? [d.right(x, int(last))] : []),
  ];
  return `CASE WHEN ${len} <= ${int(first + last)} THEN ${d.repeat(star, len)} ELSE ${d.concat(...parts)} END`;
}

function showEnd(d: SqlDialect, x: string, n: number, end: 'first' | 'last'): string {
  const len = d.len(x);
  const rest = d.repeat(lit('*'), `${len} - ${int(n)}`);
  const masked = end === 'first' ? d.concat(d.left(x, int(n)), rest) : d.concat(rest, d.right(x, int(n)));
  return `CASE WHEN ${len} <= ${int(n)} THEN ${x} ELSE ${masked} END`;
}

function maskName(d: SqlDialect, x: string): string {
  const len = d.len(x);
  const star = lit('*');
  const compounds = COMPOUND_SURNAMES.map(lit).join(', ');
  return (
    `CASE WHEN ${len} <= 1 THEN ${d.repeat(star, len)} ` +
    `WHEN ${len} > 2 AND ${d.left(x, '2')} IN (${compounds}) THEN ${d.concat(d.left(x, '2'), d.repeat(star, `${len} - 2`))} ` +
    `ELSE ${d.concat(d.left(x, '1'), d.repeat(star, `${len} - 1`))} END`
  );
}

function hmac(d: SqlDialect, x: string, options: MaskSqlOptions): string {
  const { inner, outer } = hmacPads(options.hmacKey);
  const place = (hex: string) => (options.bind ? options.bind(hex) : lit(hex));
  // Bound in the order the placeholders appear in the text (the outer pad first), for `?` dialects.
  const outerAt = place(outer);
  return d.sha256Hex(outerAt, d.unhex(d.sha256Hex(place(inner), d.utf8(x))));
}

function ageBand(d: SqlDialect, x: string, width: number, top: number | undefined): string {
  const lo = `${d.idiv(d.int(x), int(width))} * ${int(width)}`;
  const band = width === 1 ? d.text(lo) : d.concat(d.text(lo), lit('-'), d.text(`${lo} + ${int(width - 1)}`));
  const capped =
    top === undefined ? band : `CASE WHEN ${d.int(x)} >= ${int(top)} THEN ${lit(`${top}+`)} ELSE ${band} END`;
  return `CASE WHEN ${d.len(x)} BETWEEN 1 AND 3 AND ${d.onlyDigits(x)} THEN ${capped} END`;
}

/**
 * The SQL expression that masks `column` (an already quoted column expression, see `quoteIdent`)
 * exactly as `applyMask` does. Counts are validated integers; every other literal comes from the
 * builders' own safe alphabet; the HMAC pads are hex, inlined or bound (see `MaskSqlOptions.bind`).
 */
export function maskSql(
  spec: MaskSpec,
  column: string,
  dialect: SqlDialectName,
  options: MaskSqlOptions = {},
): string {
  const d = SQL_DIALECTS[dialect];
  const s = normalizeMask(spec);
  const x = d.text(column);
  switch (s.kind) {
    case 'none':
      return x;
    case 'null':
      return d.text('NULL');
    case 'suppress':
      return `CASE WHEN ${column} IS NULL THEN ${d.text('NULL')} ELSE ${lit('*')} END`;
    case 'redact':
      return d.redact(x);
    case 'first':
    case 'last':
      return showEnd(d, x, s.n, s.kind);
    case 'keep':
      return keepEnds(d, x, s.first, s.last);
    case 'name':
      return maskName(d, x);
    case 'hmac':
      return hmac(d, x, options);
    case 'year':
      return `CASE WHEN ${d.len(x)} >= 4 AND ${d.onlyDigits(d.left(x, '4'))} THEN ${d.left(x, '4')} END`;
    case 'age-band':
      return ageBand(d, x, s.width, s.top);
    case 'region': {
      const keep = s.level === 'city' ? ['4', '00'] : ['2', '0000'];
      return `CASE WHEN ${d.len(x)} = 6 AND ${d.onlyDigits(x)} THEN ${d.concat(d.left(x, keep[0]!), lit(keep[1]!))} END`;
    }
    default:
      throw new PrivacyError('invalid_mask_spec', `unknown mask ${(s as { kind: string }).kind}`);
  }
}
