import type { CreateResourceInput, ResourceView } from '../../api/catalog.js';

/** The form's values: the API's create body, with the item list always present. */
export type ResourceFormValues = Omit<CreateResourceInput, 'items'> & {
  items: NonNullable<CreateResourceInput['items']>;
};

/** A new resource's starting values, matching the API's defaults. */
export const EMPTY_RESOURCE: Partial<ResourceFormValues> = {
  format: 'CSV',
  items: [],
  sharingType: 'conditional',
  sharingMethods: ['api'],
  openType: 'not_open',
  updateCycle: 'monthly',
  grade: 'general',
  tags: [],
  keywords: [],
  relatedCodes: [],
  contact: { name: '', phone: '', email: '' },
};

/** A resource as the form edits it. */
export function toFormValues(r: ResourceView): ResourceFormValues {
  return {
    code: r.code,
    name: r.name,
    classificationCode: r.classification.code,
    summary: r.summary,
    format: r.format,
    items: r.items.map((i) => ({ ...i, field: i.field ?? undefined })),
    sharingType: r.sharingType,
    sharingConditions: r.sharingConditions,
    sharingMethods: r.sharingMethods,
    legalBasis: r.legalBasis,
    openType: r.openType,
    openConditions: r.openConditions,
    updateCycle: r.updateCycle,
    relatedCodes: r.relatedCodes,
    grade: r.grade,
    gradeLevel: r.gradeLevel,
    tags: r.tags,
    keywords: r.keywords,
    contact: r.contact,
    licence: r.licence,
  };
}
