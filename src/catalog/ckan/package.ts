import { accessUrl, dataPackageUrl, resourceUrl, stableUuid } from '../links.js';
import type { ResourceView } from '../schemas.js';
import { LABELS, type SharingMethod } from '../vocab.js';

/** The CKAN name of a resource: its code in lower case (CKAN names are `^[a-z0-9_-]{2,100}$`). */
export const ckanName = (code: string) => code.toLowerCase();

/** A CKAN organisation dict. */
export function ckanOrganization(
  org: { id: string; name: string; createdAt?: string },
  packageCount?: number,
) {
  return {
    id: org.id,
    name: org.id,
    title: org.name,
    display_name: org.name,
    type: 'organization',
    description: '',
    image_url: '',
    image_display_url: '',
    created: org.createdAt ?? null,
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    ...(packageCount === undefined ? {} : { package_count: packageCount }),
  };
}

function ckanResource(view: ResourceView, base: string, method: SharingMethod | 'schema', position: number) {
  const schema = method === 'schema';
  return {
    id: `${view.id}-${method}`,
    package_id: view.id,
    name: schema ? `${view.name}（数据结构）` : `${view.name}（${LABELS.sharingMethod[method]}）`,
    description: schema ? 'Frictionless Data Package: 信息项' : view.sharingConditions || view.summary,
    format: schema ? 'JSON' : method === 'api' || method === 'verification' ? 'API' : view.format,
    url: schema ? dataPackageUrl(base, view.code) : accessUrl(base, view.code, method),
    mimetype: schema ? 'application/json' : null,
    resource_type: schema ? 'schema' : method,
    state: 'active',
    position,
    created: view.createdAt,
    last_modified: view.updatedAt,
    metadata_modified: view.updatedAt,
    url_type: null,
    datastore_active: false,
    cache_url: null,
    hash: '',
    size: null,
  };
}

/** The CKAN resources of a resource: one per sharing method, and its schema. */
export function ckanResources(view: ResourceView, base: string) {
  return [...view.sharingMethods, 'schema' as const].map((m, i) => ckanResource(view, base, m, i));
}

/** A resource as a CKAN package dict, as `package_show` returns it. */
export function ckanPackage(view: ResourceView, base: string) {
  const tags = [...new Set([...view.tags, ...view.keywords])].map((name) => ({
    id: stableUuid('tag', name),
    name,
    display_name: name,
    state: 'active',
    vocabulary_id: null,
  }));
  const resources = ckanResources(view, base);
  const extras: Record<string, string> = {
    code: view.code,
    classification: view.classification.code,
    classification_name: view.classification.name,
    provider_code: view.provider.code,
    sharing_type: view.sharingType,
    sharing_conditions: view.sharingConditions,
    open_type: view.openType,
    open_conditions: view.openConditions,
    update_cycle: view.updateCycle,
    grade: view.grade,
    ...(view.gradeLevel === null ? {} : { grade_level: String(view.gradeLevel) }),
    publish_date: view.publishDate ?? '',
    related_codes: view.relatedCodes.join(','),
    region: view.provider.regionCode,
  };
  return {
    id: view.id,
    name: ckanName(view.code),
    title: view.name,
    notes: view.summary,
    type: 'dataset',
    state: view.status === 'retired' ? 'deleted' : view.status === 'draft' ? 'draft' : 'active',
    private: false,
    owner_org: view.provider.id,
    organization: ckanOrganization({ id: view.provider.id, name: view.provider.name }),
    author: view.provider.name,
    author_email: null,
    maintainer: view.contact.name || null,
    maintainer_email: view.contact.email || null,
    license_id: view.licence || 'notspecified',
    license_title: view.licence || 'License not specified',
    url: resourceUrl(base, view.code),
    version: String(view.version),
    metadata_created: view.createdAt,
    metadata_modified: view.updatedAt,
    isopen: view.openType !== 'not_open',
    tags,
    num_tags: tags.length,
    groups: [],
    resources,
    num_resources: resources.length,
    relationships_as_object: [],
    relationships_as_subject: [],
    extras: Object.entries(extras).map(([key, value]) => ({ key, value })),
  };
}
