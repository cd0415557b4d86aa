import { parseDataType } from '../data-types.js';
import type { CreateResourceInput, ItemInput } from '../schemas.js';
import { codeForLabel, type LABELS } from '../vocab.js';
import type { SheetRow } from './sheets.js';

// The column layout of catalog offices' sheets (Chinese headers; the English field names work too).
export const RESOURCE_COLUMNS = {
  key: ['序号', 'key'],
  code: ['信息资源代码', 'code'],
  name: ['信息资源名称', 'name'],
  classificationCode: ['信息资源分类', '分类代码', 'classificationCode'],
  summary: ['信息资源摘要', 'summary'],
  format: ['信息资源格式', 'format'],
  sharingType: ['共享类型', 'sharingType'],
  sharingConditions: ['共享条件', 'sharingConditions'],
  sharingMethods: ['共享方式', 'sharingMethods'],
  legalBasis: ['不予共享依据', 'legalBasis'],
  openType: ['开放类型', 'openType'],
  openConditions: ['开放条件', 'openConditions'],
  updateCycle: ['更新周期', 'updateCycle'],
  relatedCodes: ['关联资源代码', 'relatedCodes'],
  grade: ['数据分级', 'grade'],
  gradeLevel: ['数据级别', 'gradeLevel'],
  tags: ['标签', 'tags'],
  keywords: ['关键词', 'keywords'],
  contactName: ['联系人', 'contactName'],
  contactPhone: ['联系电话', 'contactPhone'],
  contactEmail: ['电子邮箱', 'contactEmail'],
  licence: ['许可协议', 'licence'],
  items: ['信息项', 'items'],
} as const;

export const ITEM_COLUMNS = {
  key: ['序号', '资源序号', 'key'],
  name: ['信息项名称', 'name'],
  field: ['字段名', 'field'],
  dataType: ['数据类型', 'dataType'],
  length: ['长度', 'length'],
  description: ['描述', '说明', 'description'],
  personal: ['是否个人信息', 'personal'],
  personalKind: ['个人信息类别', 'personalKind'],
  grade: ['分级', 'grade'],
} as const;

type Columns = Record<string, readonly string[]>;

/** A cell by its column's names; '' when absent. */
export function cell<C extends Columns>(row: SheetRow, columns: C, key: keyof C): string {
  for (const header of columns[key]!) {
    const value = row.values[header];
    if (value !== undefined && value !== '') return value.trim();
  }
  return '';
}

const list = (text: string) =>
  text
    .split(/[;；,，、\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
// An unknown label passes through unchanged, so that the schema names the field that is wrong.
const coded = (vocabulary: keyof typeof LABELS, text: string) =>
  text ? ((codeForLabel(vocabulary, text) as string | undefined) ?? text) : undefined;
const yes = (text: string) => ['是', 'y', 'yes', 'true', '1', '√'].includes(text.trim().toLowerCase());

/** An item from a row of the items sheet. */
export function itemFromRow(row: SheetRow): ItemInput {
  const c = (k: keyof typeof ITEM_COLUMNS) => cell(row, ITEM_COLUMNS, k);
  const length = Number(c('length'));
  return {
    name: c('name'),
    ...(c('field') ? { field: c('field') } : {}),
    dataType: c('dataType'),
    length: c('length') && Number.isInteger(length) ? length : null,
    description: c('description'),
    personal: yes(c('personal')) || Boolean(c('personalKind')),
    personalKind: (coded('personalKind', c('personalKind')) as ItemInput['personalKind']) ?? null,
    grade: (coded('grade', c('grade')) as ItemInput['grade']) ?? null,
  };
}

/** Items written in one CSV cell: `名称:类型[:描述]`, separated by semicolons. */
export function itemsFromCell(text: string): ItemInput[] {
  return text
    .split(/[;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name = '', dataType = '', ...description] = entry.split(/[:：]/).map((s) => s.trim());
      return { name, dataType: parseDataType(dataType) ?? dataType, description: description.join(':') };
    });
}

/** A create input from a row of the resources sheet and its items. */
export function resourceFromRow(row: SheetRow, items: ItemInput[]): CreateResourceInput {
  const c = (k: keyof typeof RESOURCE_COLUMNS) => cell(row, RESOURCE_COLUMNS, k);
  const level = c('gradeLevel').replace(/[^\d]/g, '');
  const input: Record<string, unknown> = {
    name: c('name') || undefined,
    ...(c('code') ? { code: c('code') } : {}),
    classificationCode: c('classificationCode') || undefined,
    summary: c('summary') || undefined,
    format: c('format') || undefined,
    items: c('items') ? itemsFromCell(c('items')) : items,
    sharingType: coded('sharingType', c('sharingType')),
    sharingConditions: c('sharingConditions'),
    sharingMethods: list(c('sharingMethods')).map((m) => coded('sharingMethod', m)),
    legalBasis: c('legalBasis'),
    openType: coded('openType', c('openType')) ?? 'not_open',
    openConditions: c('openConditions'),
    updateCycle: coded('updateCycle', c('updateCycle')),
    relatedCodes: list(c('relatedCodes')),
    grade: coded('grade', c('grade')) ?? 'general',
    gradeLevel: level ? Number(level) : null,
    tags: list(c('tags')),
    keywords: list(c('keywords')),
    contact: { name: c('contactName'), phone: c('contactPhone'), email: c('contactEmail') },
    licence: c('licence'),
  };
  return input as CreateResourceInput;
}
