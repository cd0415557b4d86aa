import { DataFactory, type Quad } from 'n3';
import { accessUrl, catalogUrl, dataPackageUrl, organizationUrl, resourceUrl } from '../links.js';
import type { ResourceView } from '../schemas.js';
import { LABELS } from '../vocab.js';
import { FREQUENCIES, FREQUENCY_SCHEME, formatIri, licenceIri, NS } from './vocabulary.js';

const { namedNode, literal, quad } = DataFactory;
const iri = (prefix: keyof typeof NS, local: string) => namedNode(`${NS[prefix]}${local}`);
const a = iri('rdf', 'type');

/** Collects triples; the same node described twice (a publisher, a frequency) is written once. */
class Graph {
  readonly quads: Quad[] = [];
  private readonly seen = new Set<string>();
  add(
    s: string,
    p: ReturnType<typeof iri>,
    o: ReturnType<typeof namedNode> | ReturnType<typeof literal>,
  ): void {
    const key = `${s} ${p.value} ${o.termType === 'Literal' ? JSON.stringify([o.value, o.language, o.datatype.value]) : o.value}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.quads.push(quad(namedNode(s), p, o));
  }
}

const zh = (text: string) => literal(text, 'zh');
const dateTime = (iso: string) => literal(iso, iri('xsd', 'dateTime'));

// sh:class needs the type triples in the data graph (formats.md §3): every linked node is typed.
function agent(g: Graph, id: string, name: string): void {
  g.add(id, a, iri('foaf', 'Agent'));
  g.add(id, iri('foaf', 'name'), zh(name));
}

function concept(
  g: Graph,
  id: string,
  label: ReturnType<typeof literal>,
  scheme: string,
  type?: ReturnType<typeof iri>,
) {
  if (type) g.add(id, a, type);
  g.add(id, a, iri('skos', 'Concept'));
  g.add(id, iri('skos', 'prefLabel'), label);
  g.add(id, iri('skos', 'inScheme'), namedNode(scheme));
}

function distributions(g: Graph, view: ResourceView, base: string, dataset: string): void {
  for (const method of view.sharingMethods) {
    const id = `${dataset}#distribution-${method}`;
    g.add(dataset, iri('dcat', 'distribution'), namedNode(id));
    g.add(id, a, iri('dcat', 'Distribution'));
    g.add(id, iri('dcat', 'accessURL'), namedNode(accessUrl(base, view.code, method)));
    g.add(id, iri('dct', 'title'), zh(`${view.name}（${LABELS.sharingMethod[method]}）`));
    g.add(id, iri('dct', 'description'), zh(view.sharingConditions || LABELS.sharingType[view.sharingType]));
    const format = method === 'file' || method === 'subscription' ? view.format : 'API';
    const formatId = formatIri(base, format);
    g.add(id, iri('dct', 'format'), namedNode(formatId));
    g.add(formatId, a, iri('dct', 'MediaTypeOrExtent'));
    g.add(formatId, iri('rdfs', 'label'), literal(format));
    if (view.licence) {
      const licence = licenceIri(base, view.licence);
      g.add(id, iri('dct', 'license'), namedNode(licence));
      g.add(licence, a, iri('dct', 'LicenseDocument'));
      g.add(licence, iri('rdfs', 'label'), literal(view.licence));
    }
  }
}

/** The DCAT-AP 3 description of one resource (信息资源 → dcat:Dataset), after the mapping in standards.md. */
function addDataset(g: Graph, view: ResourceView, base: string): string {
  const id = resourceUrl(base, view.code);
  g.add(id, a, iri('dcat', 'Dataset'));
  g.add(id, iri('dct', 'identifier'), literal(view.code));
  g.add(id, iri('dct', 'title'), zh(view.name));
  g.add(id, iri('dct', 'description'), zh(view.summary));
  const publisher = organizationUrl(base, view.provider.id);
  g.add(id, iri('dct', 'publisher'), namedNode(publisher));
  agent(g, publisher, view.provider.name);
  if (view.publishDate) g.add(id, iri('dct', 'issued'), literal(view.publishDate, iri('xsd', 'date')));
  g.add(id, iri('dct', 'modified'), dateTime(view.updatedAt));
  const frequency = FREQUENCIES[view.updateCycle];
  const frequencyId = `${FREQUENCY_SCHEME}/${frequency.code}`;
  g.add(id, iri('dct', 'accrualPeriodicity'), namedNode(frequencyId));
  concept(g, frequencyId, literal(frequency.label, 'en'), FREQUENCY_SCHEME, iri('dct', 'Frequency'));
  const theme = `${base}/api/v1/catalog/classifications#${view.classification.code}`;
  g.add(id, iri('dcat', 'theme'), namedNode(theme));
  concept(g, theme, zh(view.classification.name), `${base}/api/v1/catalog/classifications`);
  for (const word of new Set([...view.tags, ...view.keywords])) g.add(id, iri('dcat', 'keyword'), zh(word));
  if (view.version > 0) g.add(id, iri('dcat', 'version'), literal(String(view.version)));
  // 信息项 → the table schema the data conforms to: the resource's Data Package descriptor.
  const schema = dataPackageUrl(base, view.code);
  g.add(id, iri('dct', 'conformsTo'), namedNode(schema));
  g.add(schema, a, iri('dct', 'Standard'));
  g.add(schema, iri('dct', 'title'), zh(`${view.name} 信息项`));
  if (view.contact.name || view.contact.email || view.contact.phone) {
    const contact = `${id}#contact`;
    g.add(id, iri('dcat', 'contactPoint'), namedNode(contact));
    g.add(contact, a, iri('vcard', 'Kind'));
    g.add(contact, iri('vcard', 'fn'), zh(view.contact.name || view.provider.name));
    if (view.contact.email)
      g.add(contact, iri('vcard', 'hasEmail'), namedNode(`mailto:${view.contact.email}`));
    if (view.contact.phone)
      g.add(
        contact,
        iri('vcard', 'hasTelephone'),
        namedNode(`tel:${view.contact.phone.replace(/[^\d+-]/g, '')}`),
      );
  }
  distributions(g, view, base, id);
  return id;
}

/** The triples of one resource. */
export function datasetGraph(view: ResourceView, base: string): Quad[] {
  const g = new Graph();
  addDataset(g, view, base);
  return g.quads;
}

/** The triples of the whole catalog (dcat:Catalog) over the given resources. */
export function catalogGraph(views: ResourceView[], base: string): Quad[] {
  const g = new Graph();
  const id = catalogUrl(base);
  g.add(id, a, iri('dcat', 'Catalog'));
  g.add(id, iri('dct', 'title'), zh('汇通数据资源目录'));
  g.add(id, iri('dct', 'title'), literal('Huitong data resource catalog', 'en'));
  g.add(id, iri('dct', 'description'), zh('政务部门和企业共享与开放的数据资源目录'));
  g.add(
    id,
    iri('dct', 'description'),
    literal('Data resources that departments and enterprises share and open.', 'en'),
  );
  const publisher = `${base}/#platform`;
  g.add(id, iri('dct', 'publisher'), namedNode(publisher));
  agent(g, publisher, '汇通平台');
  g.add(id, iri('foaf', 'homepage'), namedNode(`${base}/`));
  g.add(`${base}/`, a, iri('foaf', 'Document'));
  const latest = views
    .map((v) => v.updatedAt)
    .sort()
    .at(-1);
  if (latest) g.add(id, iri('dct', 'modified'), dateTime(latest));
  for (const view of views) g.add(id, iri('dcat', 'dataset'), namedNode(addDataset(g, view, base)));
  return g.quads;
}
