import type { Kysely } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { ClassificationView } from './schemas.js';

type Db = Kysely<Database>;

/** Every classification, in code order (the tree is small: a few hundred nodes at most). */
export async function listClassifications(db: Db): Promise<ClassificationView[]> {
  const rows = await db.selectFrom('classifications').selectAll().orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, level: r.level }));
}

/** The classification with this code, or a 400 `unknown_classification` naming the field. */
export async function requireClassification(
  db: Db,
  code: string,
  field = 'classificationCode',
): Promise<ClassificationView> {
  const row = await db.selectFrom('classifications').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) {
    throw new BadRequestError('unknown_classification', `${code} is not a classification of the catalog`, {
      field,
    });
  }
  return { code: row.code, name: row.name, parentCode: row.parent_code, level: row.level };
}
