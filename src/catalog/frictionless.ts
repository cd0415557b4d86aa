import type { Kysely } from 'kysely';
import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { ckanName } from './ckan/package.js';
import type { DataType } from './data-types.js';
import { accessUrl, resourceUrl } from './links.js';
import { parseInput } from './parse-input.js';
import { presentResource } from './presenters.js';
import { visibleResourceRow } from './resource-rows.js';
import { createResource } from './resources.js';
import { CreateResourceSchema, type ItemInput, type ItemView, type ResourceView } from './schemas.js';

type Db = Kysely<Database>;

const TO_FRICTIONLESS: Record<DataType, { type: string; format?: string }> = {
  string: { type: 'string' },
  number: { type: 'number' },
  date: { type: 'date' },
  datetime: { type: 'datetime' },
  boolean: { type: 'boolean' },
  binary: { type: 'string', format: 'binary' },
};
// Table Schema types we hold as another type; anything not in the spec is `unknown_data_type`.
const FROM_FRICTIONLESS: Record<string, DataType> = {
  string: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  year: 'date',
  yearmonth: 'date',
  time: 'string',
  duration: 'string',
  object: 'string',
  array: 'string',
  geopoint: 'string',
  geojson: 'string',
  any: 'string',
};

function field(item: ItemView) {
  return {
    name: item.field ?? item.name,
    title: item.name,
    description: item.description,
    ...TO_FRICTIONLESS[item.dataType as DataType],
    ...(item.length ? { constraints: { maxLength: item.length } } : {}),
    // Table Schema allows extra properties: the catalog's own facts travel with the field.
    ...(item.personal ? { personalInformation: item.personalKind ?? 'other' } : {}),
    ...(item.grade ? { grade: item.grade } : {}),
  };
}

/** A resource's schema (信息项) and catalog facts as a Frictionless Data Package descriptor. */
export function toDataPackage(view: ResourceView, base: string) {
  return {
    profile: 'tabular-data-package',
    id: resourceUrl(base, view.code),
    name: ckanName(view.code),
    title: view.name,
    description: view.summary,
    version: String(view.version),
    keywords: [...new Set([...view.tags, ...view.keywords])],
    licenses: view.licence ? [{ name: view.licence, title: view.licence }] : [],
    contributors: [{ title: view.provider.name, role: 'publisher' }],
    ...(view.publishDate ? { created: `${view.publishDate}T00:00:00+08:00` } : {}),
    huitong: {
      code: view.code,
      classificationCode: view.classification.code,
      format: view.format,
      sharingType: view.sharingType,
      sharingConditions: view.sharingConditions,
      sharingMethods: view.sharingMethods,
      openType: view.openType,
      openConditions: view.openConditions,
      updateCycle: view.updateCycle,
      grade: view.grade,
      gradeLevel: view.gradeLevel,
      tags: view.tags,
      keywords: view.keywords,
      relatedCodes: view.relatedCodes,
      contact: view.contact,
    },
    resources: [
      {
        profile: 'tabular-data-resource',
        name: ckanName(view.code),
        title: view.name,
        description: view.summary,
        path: accessUrl(base, view.code, 'file'),
        format: view.format.toLowerCase(),
        schema: { fields: view.items.map(field) },
      },
    ],
  };
}

/** The Data Package of a resource the actor may see. */
export async function exportDataPackage(db: Db, actor: Actor, code: string, base: string) {
  return toDataPackage(presentResource(await visibleResourceRow(db, actor, code)), base);
}

const FieldSchema = z.looseObject({
  name: z.string().min(1).max(100),
  title: z.string().max(100).optional(),
  description: z.string().max(500).optional(),
  type: z.string().default('string'),
  format: z.string().optional(),
  constraints: z.looseObject({ maxLength: z.number().int().positive().optional() }).optional(),
  personalInformation: z.string().optional(),
  grade: z.string().optional(),
});

/** A Data Package descriptor, as far as the catalog reads it. */
export const DataPackageSchema = z.looseObject({
  name: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  licenses: z.array(z.looseObject({ name: z.string().optional(), title: z.string().optional() })).optional(),
  huitong: z.record(z.string(), z.unknown()).optional(),
  resources: z
    .array(
      z.looseObject({
        name: z.string().regex(/^[-a-z0-9._/]+$/, 'Data Package resource names are lower-case'),
        title: z.string().optional(),
        description: z.string().optional(),
        format: z.string().optional(),
        schema: z.looseObject({ fields: z.array(FieldSchema).max(500) }),
      }),
    )
    .min(1),
});
export type DataPackage = z.infer<typeof DataPackageSchema>;

function itemOf(f: z.infer<typeof FieldSchema>, path: string): ItemInput {
  const dataType = f.type === 'string' && f.format === 'binary' ? 'binary' : FROM_FRICTIONLESS[f.type];
  if (!dataType) {
    throw new BadRequestError('unknown_data_type', `"${f.type}" is not a Table Schema type`, {
      field: `${path}.type`,
    });
  }
  const machine = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(f.name);
  return {
    name: f.title ?? f.name,
    ...(machine ? { field: f.name } : {}),
    dataType,
    length: f.constraints?.maxLength ?? null,
    description: f.description ?? '',
    personal: f.personalInformation !== undefined,
    personalKind: (f.personalInformation as ItemInput['personalKind']) ?? null,
    grade: (f.grade as ItemInput['grade']) ?? null,
  };
}

/**
 * Creates a draft resource from a Data Package: its fields become the items; catalog facts come
 * from the descriptor's `huitong` block (our own export) and are overridden by `overrides`.
 * The code is always newly issued, so that importing an export never collides with its source.
 */
export async function importDataPackage(
  db: Db,
  actor: Actor,
  descriptor: unknown,
  overrides: Record<string, unknown> = {},
  resourceName?: string,
) {
  const pkg = parseInput(DataPackageSchema, descriptor, 'descriptor');
  const index = resourceName ? pkg.resources.findIndex((r) => r.name === resourceName) : 0;
  const resource = pkg.resources[index];
  if (!resource) {
    throw new BadRequestError('unknown_package_resource', `No resource named ${resourceName}`, {
      field: 'resource',
    });
  }
  const { code: _code, ...facts } = pkg.huitong ?? {};
  const input = {
    name: resource.title ?? pkg.title ?? resource.name,
    summary: resource.description ?? pkg.description ?? resource.title ?? resource.name,
    format: (resource.format ?? 'csv').toUpperCase(),
    keywords: pkg.keywords ?? [],
    licence: pkg.licenses?.[0]?.name ?? '',
    ...facts,
    items: resource.schema.fields.map((f, i) =>
      itemOf(f, `descriptor.resources.${index}.schema.fields.${i}`),
    ),
    ...overrides,
  };
  return createResource(db, actor, parseInput(CreateResourceSchema, input));
}
