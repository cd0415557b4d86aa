// The check characters of check-digits.ts as SQL, for data-quality checks pushed into a source.
// Only SUBSTRING, POSITION, UPPER, + * % and string literals: the same text runs on PostgreSQL,
// MySQL/MariaDB and DuckDB, and a non-digit yields a wrong sum (POSITION answers 0), never an
// error, so the expression is safe on any value. The format (length, alphabet) is the caller's
// regular expression; these compare the 18th character with the one the first 17 imply.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const weightedSum = (text: string, alphabet: string, weights: number[]) =>
  weights
    .map((w, i) => `(POSITION(SUBSTRING(${text}, ${i + 1}, 1) IN '${alphabet}') - 1) * ${w}`)
    .join(' + ');

/**
 * SQL that is true when an 18-character resident ID number's check character (GB 11643, ISO 7064
 * MOD 11-2) matches its first 17 digits. `text` is a text-valued SQL expression (a quoted column).
 */
export function residentIdCheckSql(text: string): string {
  return `SUBSTRING('10X98765432', ((${weightedSum(text, '0123456789', ID_WEIGHTS)}) % 11) + 1, 1) = UPPER(SUBSTRING(${text}, 18, 1))`;
}

/** SQL that is true when a unified social credit code's check character (GB 32100) matches. */
export function creditCodeCheckSql(text: string): string {
  const sum = weightedSum(text, CREDIT_ALPHABET, CREDIT_WEIGHTS);
  return `SUBSTRING('${CREDIT_ALPHABET}', ((31 - ((${sum}) % 31)) % 31) + 1, 1) = SUBSTRING(${text}, 18, 1)`;
}

/** The format of a resident ID number: 17 digits and a digit or X. */
export const RESIDENT_ID_PATTERN = '^[0-9]{17}[0-9Xx]$';
/** The format of a unified social credit code (GB 32100): its alphabet, digits in the middle. */
export const CREDIT_CODE_PATTERN = '^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$';
