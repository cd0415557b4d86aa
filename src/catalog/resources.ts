import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { BadRequestError, isUniqueViolation } from '../errors/index.js';
import { type Actor, authorize, getOrganization } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { cursorDate, decodeCursor, type Page, type PageQuery, toPage } from '../store/index.js';
import { parseInput } from './parse-input.js';
import { presentResource } from './presenters.js';
import { nextSequence, providerCode, resourceCode } from './provider-codes.js';
import { actorLabel, findResourceRow, selectResources } from './resource-rows.js';
import { type CreateResourceInput, CreateResourceSchema, type ResourceView } from './schemas.js';
import { searchDocument } from './search-document.js';
import { checkResourceFields } from './validate.js';
import { visibleResourceFilter } from './visibility.js';
import type { ResourceStatus } from './vocab.js';

type Db = Kysely<Database>;

const duplicateCode = (code: string): never => {
  throw new BadRequestError('duplicate_code', `Resource code ${code} is already in use`, { field: 'code' });
};

/**
 * Creates a draft resource (信息资源) for the provider organisation (the caller's unless
 * named): checks the caller may manage that organisation's catalog, validates every field,
 * and issues its code unless an unused one is given.
 */
export async function createResource(
  db: Db,
  actor: Actor,
  input: CreateResourceInput,
): Promise<ResourceView> {
  const fields = parseInput(CreateResourceSchema, input);
  const caller = authorize(actor, 'resource.manage');
  const providerId = fields.providerId ?? caller.orgId;
  authorize(actor, 'resource.manage', { orgId: providerId, noun: 'Organisation' });
  const { classificationName, items } = await checkResourceFields(db, fields);
  const org = await getOrganization(db, providerId);
  const provider = await providerCode(db, org);
  if (fields.code && (await findResourceRow(db, fields.code))) duplicateCode(fields.code);
  const code =
    fields.code ??
    resourceCode(
      fields.classificationCode,
      provider,
      await nextSequence(db, `${fields.classificationCode}-${provider}`),
    );
  const now = new Date();
  const row = await db
    .insertInto('resources')
    .values({
      id: randomUUID(),
      code,
      name: fields.name,
      classification_code: fields.classificationCode,
      provider_id: org.id,
      provider_name: org.name,
      provider_code: provider,
      provider_region: org.regionCode,
      provider_level: org.level,
      summary: fields.summary,
      format: fields.format,
      items: JSON.stringify(items),
      sharing_type: fields.sharingType,
      sharing_conditions: fields.sharingConditions,
      sharing_methods: fields.sharingType === 'not_shared' ? [] : fields.sharingMethods,
      legal_basis: fields.legalBasis,
      open_type: fields.openType,
      open_conditions: fields.openConditions,
      update_cycle: fields.updateCycle,
      publish_date: null,
      related_codes: fields.relatedCodes,
      grade: fields.grade,
      grade_level: fields.grade === 'general' ? (fields.gradeLevel ?? null) : null,
      tags: fields.tags,
      keywords: fields.keywords,
      contact: JSON.stringify(fields.contact),
      licence: fields.licence,
      status: 'draft',
      version: 0,
      search_doc: searchDocument({ ...fields, items, classificationName, providerName: org.name }),
      created_by: actorLabel(actor),
      created_at: now,
      updated_at: now,
      published_at: null,
      retired_at: null,
    })
    .returning('code')
    .executeTakeFirstOrThrow()
    .catch((error) => (isUniqueViolation(error) ? duplicateCode(code) : Promise.reject(error)));
  return presentResource({ ...(await findResourceRow(db, row.code))! });
}

/** Filters of the plain resource list. */
export interface ResourceListFilter {
  providerId?: string;
  status?: ResourceStatus;
}

/** Resources the actor may see, newest last (creation order), one page at a time. */
export async function listResources(
  db: Db,
  actor: Actor,
  page: PageQuery,
  filter: ResourceListFilter = {},
): Promise<Page<ResourceView>> {
  const after = decodeCursor(page.cursor);
  let query = selectResources(db)
    .where(visibleResourceFilter(actor))
    .orderBy('resources.created_at')
    .orderBy('resources.id')
    .limit(page.limit + 1);
  if (filter.providerId) query = query.where('resources.provider_id', '=', filter.providerId);
  if (filter.status) query = query.where('resources.status', '=', filter.status);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('resources.created_at', 'resources.id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  }
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ key: r.created_at.toISOString(), id: r.id }), presentResource);
}
