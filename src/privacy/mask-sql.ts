import { ADDRESS_PREFIX, ADDRESS_STARS, NOT_HAN } from './address-mask.js';
import { PrivacyError } from './errors.js';
import { type HmacKey, hmacPads } from './hmac-key.js';
import { REDACTED } from './mask-js.js';
import { type MaskSpec, normalizeMask } from './mask-spec.js';
import { lit, regex, SQL_DIALECTS, type SqlDialect, type SqlDialectName } from './sql-dialects.js';
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

const starRun = (n: number) => lit('*'.repeat(n));

function keepEnds(d: SqlDialect, x: string, first: number, last: number, stars: number): string {
  const len = d.len(x);
  const parts = [
    ...(first > 0 ? [d.left(x, int(first))] : []),
    starRun(stars),
    ...(last > 0 ? [d.right(x, int(last))] : []),
  ];
  // Both conditions spelled out: NULL satisfies neither and stays NULL (the ELSE would be '***').
  return `CASE WHEN ${len} <= ${int(first + last)} THEN ${starRun(stars)} WHEN ${len} > ${int(first + last)} THEN ${d.concat(...parts)} END`;
}

function maskName(d: SqlDialect, x: string): string {
  const len = d.len(x);
  const star = lit('*');
  const compounds = COMPOUND_SURNAMES.map(lit).join(', ');
  return (
    `CASE WHEN ${len} <= 1 THEN ${star} ` +
    `WHEN ${len} > 2 AND ${d.left(x, '2')} IN (${compounds}) THEN ${d.concat(d.left(x, '2'), star)} ` +
    `ELSE ${d.concat(d.left(x, '1'), star)} END`
  );
}

function hmac(d: SqlDialect, x: string, options: MaskSqlOptions): string {
  const { inner, outer } = hmacPads(options.hmacKey);
  const place = (hex: string) => (options.bind ? options.bind(hex) : lit(hex));
  // Bound in the order the placeholders appear in the text (the outer pad first), for `?` dialects.
  const outerAt = place(outer);
  return d.sha256Hex(outerAt, d.unhex(d.sha256Hex(place(inner), d.utf8(x))));
}

function band(d: SqlDialect, n: string, width: number): string {
  const lo = `${d.idiv(n, int(width))} * ${int(width)}`;
  return width === 1 ? d.text(lo) : d.concat(d.text(lo), lit('-'), d.text(`${lo} + ${int(width - 1)}`));
}

function ageBand(d: SqlDialect, x: string, width: number, top: number | undefined): string {
  const b = band(d, d.int(x), width);
  const capped =
    top === undefined ? b : `CASE WHEN ${d.int(x)} >= ${int(top)} THEN ${lit(`${top}+`)} ELSE ${b} END`;
  return `CASE WHEN ${d.len(x)} BETWEEN 1 AND 3 AND ${d.onlyDigits(x)} THEN ${capped} END`;
}

// As mask-js: four leading digits not followed by a fifth, unless the value is YYYYMMDD.
function year(d: SqlDialect, x: string, width: number): string {
  const len = d.len(x);
  const y = d.left(x, '4');
  const dated =
    `${len} >= 4 AND ${d.onlyDigits(y)} AND ` +
    `(${len} = 4 OR NOT ${d.onlyDigits(d.left(x, '5'))} OR (${len} = 8 AND ${d.onlyDigits(x)}))`;
  return `CASE WHEN ${dated} THEN ${width === 1 ? y : band(d, d.int(y), width)} END`;
}

function address(d: SqlDialect, column: string, x: string): string {
  const kept = d.group1(x, regex(ADDRESS_PREFIX));
  const stars = lit(ADDRESS_STARS);
  return (
    `CASE WHEN ${column} IS NULL THEN ${d.text('NULL')} ` +
    `WHEN ${kept} <> '' AND NOT ${d.matches(kept, regex(NOT_HAN))} THEN ${d.concat(kept, stars)} ` +
    `ELSE ${stars} END`
  );
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
      return `CASE WHEN ${column} IS NULL THEN ${d.text('NULL')} ELSE ${lit(REDACTED)} END`;
    case 'keep':
      return keepEnds(d, x, s.first, s.last, s.stars);
    case 'name':
      return maskName(d, x);
    case 'hmac':
      return hmac(d, x, options);
    case 'year':
      return year(d, x, s.width ?? 1);
    case 'age-band':
      return ageBand(d, x, s.width, s.top);
    case 'region': {
      const keep = s.level === 'city' ? ['4', '00'] : ['2', '0000'];
      return `CASE WHEN ${d.len(x)} = 6 AND ${d.onlyDigits(x)} THEN ${d.concat(d.left(x, keep[0]!), lit(keep[1]!))} END`;
    }
    case 'address':
      return address(d, column, x);
    default:
      throw new PrivacyError('invalid_mask_spec', `unknown mask ${(s as { kind: string }).kind}`);
  }
}
