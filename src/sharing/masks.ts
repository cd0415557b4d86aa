import type { ItemView } from '../catalog/index.js';
import { kindFromColumnName, type MaskSpec } from '../privacy/index.js';

const NONE: MaskSpec = { kind: 'none' };

// The catalog's personal kinds follow GB/T 35273's categories; the masking conventions need the
// identifier itself, so the item's machine name and Chinese name are read too (身份证号, sjhm…).
const BY_NAME: Record<string, MaskSpec> = {
  'id-number': { kind: 'id-number' },
  mobile: { kind: 'mobile' },
  name: { kind: 'name' },
  'bank-card': { kind: 'bank-card' },
};

/**
 * The mask a personal item gets unless a grant says otherwise: the Chinese convention for
 * ID numbers, mobiles, names and bank cards; `redact` for any other personal item; none otherwise.
 */
export function defaultMask(item: Pick<ItemView, 'name' | 'field' | 'personal' | 'personalKind'>): MaskSpec {
  if (!item.personal) return NONE;
  if (item.personalKind === 'identity_document') return BY_NAME['id-number']!;
  if (item.personalKind === 'bank_account') return BY_NAME['bank-card']!;
  for (const label of [item.field, item.name]) {
    const guess = label ? kindFromColumnName(label) : null;
    if (guess && BY_NAME[guess.kind]) return BY_NAME[guess.kind]!;
  }
  return { kind: 'redact' };
}

/** A mask that shows the value in clear. */
export function isClear(mask: MaskSpec): boolean {
  return mask.kind === 'none';
}
