import { BadRequestError } from '../errors/index.js';

/**
 * 信息项数据类型: the closed list of the catalog guide, its one-letter codes, and the English
 * names the API uses. Anything else is `unknown_data_type`.
 */
export const DATA_TYPES = {
  string: { letter: 'C', zh: '字符型' },
  number: { letter: 'N', zh: '数值型' },
  date: { letter: 'D', zh: '日期型' },
  datetime: { letter: 'T', zh: '日期时间型' },
  boolean: { letter: 'B', zh: '布尔型' },
  binary: { letter: 'BLOB', zh: '二进制' },
} as const;

/** An item's data type, by its English name. */
export type DataType = keyof typeof DATA_TYPES;

/** The English names of the data types. */
export const DATA_TYPE_NAMES = Object.keys(DATA_TYPES) as DataType[];

/** Reads a data type written as an English name, a letter code (C, N…) or a Chinese name; undefined if none. */
export function parseDataType(text: string): DataType | undefined {
  const t = text.trim();
  for (const [name, { letter, zh }] of Object.entries(DATA_TYPES)) {
    if (t.toLowerCase() === name || t.toUpperCase() === letter || t === zh || t === zh.replace(/型$/, '')) {
      return name as DataType;
    }
  }
  return undefined;
}

/** Like `parseDataType`, but a bad type is a 400 `unknown_data_type` naming the field. */
export function requireDataType(text: string, field: string): DataType {
  const type = parseDataType(text);
  if (!type) {
    throw new BadRequestError(
      'unknown_data_type',
      `"${text}" is not a data type; use one of ${DATA_TYPE_NAMES.join(', ')} (or C, N, D, T, B, BLOB)`,
      { field },
    );
  }
  return type;
}
