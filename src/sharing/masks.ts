import type { ItemView, PersonalKind } from '../catalog/index.js';
import {
  DEFAULT_MASKS,
  defaultMaskForKind,
  kindFromColumnName,
  type MaskSpec,
  type PersonalInfoKind,
} from '../privacy/index.js';

const NONE: MaskSpec = { kind: 'none' };

// The catalog's personal kinds follow GB/T 35273's categories; the masks need the identifier
// itself, so the item's machine name and Chinese name are read first (身份证号, sjhm, 民族…), and
// the category decides only when they say nothing.
const BY_CATEGORY: Partial<Record<PersonalKind, PersonalInfoKind>> = {
  identity_document: 'id-number',
  bank_account: 'bank-card',
  biometric: 'biometric',
  location: 'location',
  health: 'health',
  property: 'financial',
  credit: 'financial',
  transaction: 'financial',
};

// A name word must end the label: 申请人姓名 and applicant_name are names, 与户主关系 and 联系人电话
// are not (the name mask would show their first character).
const NAME_LAST = /(?:姓名|名字|联系人|负责人|法定代表人|户主|申请人|name|xm)$/i;

function kindOfLabels(labels: (string | null)[]): PersonalInfoKind | null {
  for (const label of labels) {
    const guess = label ? kindFromColumnName(label) : null;
    if (!guess) continue;
    if (guess.kind === 'name' && !NAME_LAST.test(label!.trim())) continue;
    return guess.kind;
  }
  return null;
}

/**
 * The mask a personal item gets unless a grant says otherwise (`DEFAULT_MASKS` of privacy/): by
 * the kind its names say, else by its catalog category, else `redact`; none for other items.
 */
export function defaultMask(item: Pick<ItemView, 'name' | 'field' | 'personal' | 'personalKind'>): MaskSpec {
  if (!item.personal) return NONE;
  const named = kindOfLabels([item.field, item.name]);
  // A document or account number keeps its convention unless its names say it is another one.
  const category = item.personalKind ? (BY_CATEGORY[item.personalKind] ?? null) : null;
  if ((category === 'id-number' && named !== 'passport') || category === 'bank-card')
    return DEFAULT_MASKS[category];
  return defaultMaskForKind(named ?? category);
}

/** A mask that shows the value in clear. */
export function isClear(mask: MaskSpec): boolean {
  return mask.kind === 'none';
}
