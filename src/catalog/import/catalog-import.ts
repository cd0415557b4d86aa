import type { Kysely } from 'kysely';
import { AppError } from '../../errors/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import type { Database } from '../../store/index.js';
import { publishResource } from '../lifecycle.js';
import { parseInput } from '../parse-input.js';
import { findResourceRow, inTransaction } from '../resource-rows.js';
import { createResource } from '../resources.js';
import { type CreateResourceInput, CreateResourceSchema } from '../schemas.js';
import { checkResourceFields } from '../validate.js';
import { cell, ITEM_COLUMNS, itemFromRow, RESOURCE_COLUMNS, resourceFromRow } from './columns.js';
import { type ImportFormat, readSheets, type SheetRow } from './sheets.js';

type Db = Kysely<Database>;

/** How an import treats rejected rows: import the valid ones, or nothing at all. */
export type ImportMode = 'valid-only' | 'all-or-nothing';

/** Options of an import. */
export interface ImportOptions {
  mode?: ImportMode;
  /** Publish each imported resource at once (otherwise they are drafts). */
  publish?: boolean;
  format?: ImportFormat;
  /** Called as rows are checked and written (a CLI progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** A row that was not imported, and why. */
export interface RejectedRow {
  sheet: 'resources' | 'items';
  row: number;
  code: string;
  field?: string;
  message: string;
}

/** What an import did. */
export interface ImportReport {
  mode: ImportMode;
  total: number;
  imported: Array<{ row: number; code: string; name: string }>;
  rejected: RejectedRow[];
  /** False when nothing was written (all-or-nothing with a rejection). */
  committed: boolean;
}

function rejection(sheet: RejectedRow['sheet'], row: number, error: unknown): RejectedRow {
  if (!(error instanceof AppError) || error.status >= 500) throw error;
  const details = error.details as { field?: string } | Array<{ path?: string }> | undefined;
  const field = Array.isArray(details) ? details[0]?.path : details?.field;
  return { sheet, row, code: error.code, ...(field ? { field } : {}), message: error.message };
}

/**
 * Imports catalog entries from a sheet in the catalog offices' layout (one row per resource,
 * items on a sheet of their own keyed by 序号) for the caller's organisation. Every row is
 * checked first; then the valid rows are written in one transaction, or, in all-or-nothing
 * mode, nothing is written if any row is rejected.
 */
export async function importCatalog(
  db: Db,
  actor: Actor,
  file: Buffer,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const caller = authorize(actor, 'resource.manage');
  const mode = options.mode ?? 'valid-only';
  const sheets = await readSheets(file, options.format);
  const total = sheets.resources.length;
  const progress = (done: number) => options.onProgress?.(done, total * 2);
  const rejected: RejectedRow[] = [];

  const itemsByKey = new Map<string, SheetRow[]>();
  for (const row of sheets.items) {
    const key = cell(row, ITEM_COLUMNS, 'key');
    itemsByKey.set(key, [...(itemsByKey.get(key) ?? []), row]);
  }
  const keys = new Set(sheets.resources.map((r) => cell(r, RESOURCE_COLUMNS, 'key')));
  for (const [key, rows] of itemsByKey) {
    if (!keys.has(key)) {
      for (const row of rows) {
        rejected.push({
          sheet: 'items',
          row: row.row,
          code: 'unknown_resource_key',
          field: '序号',
          message: `No resource row has 序号 ${key}`,
        });
      }
    }
  }

  const valid: Array<{ row: number; input: CreateResourceInput }> = [];
  const codes = new Set<string>();
  for (const [i, row] of sheets.resources.entries()) {
    try {
      const itemRows = itemsByKey.get(cell(row, RESOURCE_COLUMNS, 'key')) ?? [];
      const input = { ...resourceFromRow(row, itemRows.map(itemFromRow)), providerId: caller.orgId };
      const fields = parseInput(CreateResourceSchema, input);
      await checkResourceFields(db, fields);
      if (fields.code && (codes.has(fields.code) || (await findResourceRow(db, fields.code)))) {
        throw new AppError(400, 'duplicate_code', `Resource code ${fields.code} is already in use`, {
          field: 'code',
        });
      }
      if (fields.code) codes.add(fields.code);
      valid.push({ row: row.row, input });
    } catch (error) {
      rejected.push(rejection('resources', row.row, error));
    }
    progress(i + 1);
  }

  if (mode === 'all-or-nothing' && rejected.length > 0) {
    return { mode, total, imported: [], rejected, committed: false };
  }
  const imported = await inTransaction(db, async (trx) => {
    const done: ImportReport['imported'] = [];
    for (const { row, input } of valid) {
      let created = await createResource(trx, actor, input);
      if (options.publish) created = await publishResource(trx, actor, created.code);
      done.push({ row, code: created.code, name: created.name });
      progress(total + done.length);
    }
    return done;
  });
  progress(total * 2);
  return { mode, total, imported, rejected, committed: true };
}
