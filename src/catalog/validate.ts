import type { Kysely } from 'kysely';
import { BadRequestError, type ErrorCode } from '../errors/index.js';
import type { Database, StoredItem } from '../store/index.js';
import { requireClassification } from './classifications.js';
import { requireDataType } from './data-types.js';
import { ItemBoundsSchema, type ItemInput, type ResourceFields } from './schemas.js';

type Db = Kysely<Database>;
type Rules = Pick<
  ResourceFields,
  | 'sharingType'
  | 'legalBasis'
  | 'openType'
  | 'sharingConditions'
  | 'openConditions'
  | 'grade'
  | 'gradeLevel'
  | 'sharingMethods'
>;

const bad = (code: ErrorCode, message: string, field: string): never => {
  throw new BadRequestError(code, message, { field });
};

/** Items with their data types resolved (`unknown_data_type`) and personal-information flags made consistent. */
export function normalizeItems(items: ItemInput[]): StoredItem[] {
  const names = new Set<string>();
  return items.map((item, i) => {
    if (names.has(item.name)) bad('duplicate_item', `Item "${item.name}" appears twice`, `items.${i}.name`);
    names.add(item.name);
    const personalKind = item.personalKind ?? null;
    const dataType = requireDataType(item.dataType, `items.${i}.dataType`);
    if (item.bounds && dataType !== 'number')
      bad(
        'bounds_not_numeric',
        `Item "${item.name}" is not a number: it has no value range`,
        `items.${i}.bounds`,
      );
    return {
      name: item.name,
      field: item.field ?? null,
      dataType,
      length: item.length ?? null,
      description: item.description ?? '',
      personal: (item.personal ?? false) || personalKind !== null,
      personalKind: (item.personal ?? false) || personalKind ? personalKind : null,
      grade: item.grade ?? null,
      bounds: item.bounds ? ItemBoundsSchema.parse(item.bounds) : null,
    };
  });
}

/** The rules between fields of a catalog entry; each failure names its field. */
export function checkSharingRules(r: Rules): void {
  if (r.sharingType === 'not_shared' && !r.legalBasis.trim()) {
    bad(
      'legal_basis_required',
      'A not-shared (不予共享) resource needs the legal basis for it',
      'legalBasis',
    );
  }
  if (r.sharingType === 'not_shared' && r.openType !== 'not_open') {
    bad('open_type_conflict', 'A not-shared (不予共享) resource cannot be open (开放)', 'openType');
  }
  if (r.sharingType === 'conditional' && !r.sharingConditions.trim()) {
    bad(
      'sharing_conditions_required',
      'Conditional sharing (有条件共享) needs its conditions',
      'sharingConditions',
    );
  }
  if (r.openType === 'conditional' && !r.openConditions.trim()) {
    bad(
      'open_conditions_required',
      'Conditional opening (有条件开放) needs its conditions',
      'openConditions',
    );
  }
  if (r.sharingType !== 'not_shared' && r.sharingMethods.length === 0) {
    bad(
      'sharing_methods_required',
      'A shared resource needs at least one sharing method (共享方式)',
      'sharingMethods',
    );
  }
  if (r.grade !== 'general' && r.gradeLevel != null) {
    bad('grade_level_conflict', 'Only general data (一般数据) has a level 1–4', 'gradeLevel');
  }
}

/** Every check of a whole entry that needs no lifecycle: classification, items and sharing rules. */
export async function checkResourceFields(
  db: Db,
  fields: ResourceFields,
): Promise<{ classificationName: string; items: StoredItem[] }> {
  const classification = await requireClassification(db, fields.classificationCode);
  const items = normalizeItems(fields.items);
  checkSharingRules(fields);
  return { classificationName: classification.name, items };
}
