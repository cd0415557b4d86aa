import type { MessageKey, Translate } from '../i18n/index.js';

/** A data type's name (字符串, 数值, 日期…), or the type itself when this console does not know it. */
export function dataTypeName(t: Translate, type: string): string {
  const key = `dt.${type}` as MessageKey;
  const name = t(key);
  return name === key ? type : name;
}

/** A privacy-scan kind's name (身份证号码, 固定电话, 地址…), or the kind itself. */
export function piiKindName(t: Translate, kind: string): string {
  const key = `pii.${kind}` as MessageKey;
  const name = t(key);
  return name === key ? kind : name;
}
