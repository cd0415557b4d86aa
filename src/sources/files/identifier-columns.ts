import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdbLiteral } from './engine.js';

// Names that say a column holds a code or a number to dial, not a quantity (中文 and pinyin initials).
const CODE_NAME =
  /代码|编码|编号|区划|号码|证号|电话|手机|邮编|邮政|账号|卡号|code|^id$|_id$|_no$|^no$|^qh|qh$|dm$|bm$|bh$|zip|phone|tel|mobile/i;

// GB/T 2260 province-level prefixes (the first two digits of a division code).
const PROVINCE = '(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)';

/** Rows sampled per file: identifiers show themselves in the first thousands of rows. */
const SAMPLE = 20_000;

interface Stats {
  name: string;
  digits: boolean;
  leadingZero: boolean;
  minLength: number;
  maxLength: number;
  mobiles: boolean;
  idNumbers: boolean;
  regionCodes: boolean;
  provinces: number;
}

/**
 * Whether a column of digits is an identifier, to be kept as text: its leading zeros matter
 * (0591…), or it holds mobile numbers or ID numbers (GB 11643, 15 or 18 digits after a province
 * prefix), or six-digit GB/T 2260 division codes (350100) — named so, or all of one province —, or
 * a column named as a code (卡号, 编码, …) of six digits or more. A quantity (常住人口 687000, an
 * amount of 19 digits) stays a number.
 */
export function isIdentifier(s: Stats): boolean {
  if (!s.digits || s.maxLength === 0) return false;
  if (s.leadingZero || s.mobiles || s.idNumbers) return true;
  if (s.regionCodes && (CODE_NAME.test(s.name) || s.provinces === 1)) return true;
  return CODE_NAME.test(s.name) && s.minLength >= 6;
}

/**
 * The columns of a CSV (as DuckDB reads it with `reader`, every value as text) that hold
 * identifiers made of digits, which type inference would turn into integers: 350100 → a number,
 * 0591 → 591, an 18-digit ID number → a rounded float.
 */
export async function identifierColumns(connection: DuckDBConnection, textReader: string): Promise<string[]> {
  const sample = `(SELECT * FROM ${textReader} LIMIT ${SAMPLE})`;
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${sample}`);
  const names = described.getRowObjectsJS().map((r) => String(r.column_name));
  if (names.length === 0) return [];
  const aggregates = names.map((name, i) => {
    const c = `nullif(trim("${name.replaceAll('"', '""')}"), '')`;
    return [
      `coalesce(bool_and(regexp_full_match(${c}, '[0-9]+')), false) AS d${i}`,
      `coalesce(bool_or(length(${c}) > 1 AND starts_with(${c}, '0')), false) AS z${i}`,
      `coalesce(min(length(${c})), 0) AS lo${i}`,
      `coalesce(max(length(${c})), 0) AS hi${i}`,
      `coalesce(bool_and(regexp_full_match(${c}, '1[3-9][0-9]{9}')), false) AS m${i}`,
      `coalesce(bool_and(regexp_full_match(${c}, ${duckdbLiteral(`${PROVINCE}[0-9]{13}([0-9]{3})?`)})), false) AS n${i}`,
      `coalesce(bool_and(regexp_full_match(${c}, ${duckdbLiteral(`${PROVINCE}[0-9]{4}`)})), false) AS r${i}`,
      `count(DISTINCT substr(${c}, 1, 2)) AS p${i}`,
    ].join(', ');
  });
  const result = await connection.runAndReadAll(`SELECT ${aggregates.join(', ')} FROM ${sample}`);
  const row = result.getRowObjectsJS()[0] ?? {};
  return names.filter((name, i) =>
    isIdentifier({
      name,
      digits: row[`d${i}`] === true,
      leadingZero: row[`z${i}`] === true,
      minLength: Number(row[`lo${i}`] ?? 0),
      maxLength: Number(row[`hi${i}`] ?? 0),
      mobiles: row[`m${i}`] === true,
      idNumbers: row[`n${i}`] === true,
      regionCodes: row[`r${i}`] === true,
      provinces: Number(row[`p${i}`] ?? 0),
    }),
  );
}
