import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';

/** `limit` and `cursor` of every list endpoint. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('items per page, 1–200'),
  cursor: z.string().max(512).optional().describe('opaque; from the previous page’s nextCursor'),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The response schema of a page of `item`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Position after which the next page starts: a sort key and the row id that breaks ties. */
export interface CursorPosition {
  key: string;
  id: string;
}

const CursorSchema = z.strictObject({ k: z.string().max(300), i: z.string().max(100) });

/** Encodes a position as an opaque cursor. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ k: position.key, i: position.id })).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; a tampered one is a 400. */
export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { key: parsed.k, id: parsed.i };
  } catch {
    throw new BadRequestError('invalid_cursor', 'The cursor is not one this server issued');
  }
}

/** Cuts the `limit + 1` rows fetched into a page and the cursor of the next one. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => CursorPosition,
  present: (row: Row) => T,
): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map(present),
    nextCursor: more && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

/** Parses a cursor key written from a Date; a malformed one is a 400. */
export function cursorDate(position: CursorPosition): Date {
  const date = new Date(position.key);
  if (Number.isNaN(date.getTime()))
    throw new BadRequestError('invalid_cursor', 'The cursor is not one this server issued');
  return date;
}
