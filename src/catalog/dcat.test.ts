import rdf from '@zazuko/env-node';
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildResource } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { ANONYMOUS } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { catalogDcat, type ResourceView, resourceDcat } from './index.js';

// The official DCAT-AP 3.0.1 shapes (© European Union, CC-BY 4.0), kept in the repository so that
// a fresh clone validates against them too.
const SHAPES = new URL('../../test/fixtures/dcat-ap-3.0.1/', import.meta.url);
const BASE = 'https://data.example.gov.cn';

async function loadShapes() {
  const shapes = rdf.dataset();
  for (const file of ['dcat-ap-SHACL.ttl', 'ranges.ttl']) {
    for await (const q of rdf.fromFile(new URL(file, SHAPES).pathname) as AsyncIterable<Quad>) shapes.add(q);
  }
  return shapes;
}

async function violations(quads: Quad[]) {
  const validator = new SHACLValidator(await shapesPromise, { factory: rdf });
  const report = await validator.validate(rdf.dataset(quads));
  // `conforms` is false for warnings too (formats.md §3): only violations fail.
  return report.results
    .filter((r) => r.severity?.value.endsWith('Violation'))
    .map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join('; ')}`);
}
let shapesPromise: ReturnType<typeof loadShapes>;

const turtleQuads = (text: string) => new Parser().parse(text);
async function jsonLdQuads(text: string) {
  const nquads = (await jsonld.toRDF(JSON.parse(text), {
    format: 'application/n-quads',
  })) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}

describeEachStore('DCAT-AP 3 view', (kind) => {
  let store: Store;
  let full: ResourceView;
  beforeAll(async () => {
    shapesPromise ??= loadShapes();
    store = await openTestStore(kind);
    const org = await buildOrganization(store.db);
    full = await buildResource(
      store.db,
      org.id,
      {
        name: '常住人口基本信息',
        openType: 'unconditional',
        sharingMethods: ['api', 'file', 'verification'],
        format: 'CSV',
        tags: ['人口'],
        keywords: ['户籍'],
        licence: 'CC-BY-4.0',
        contact: { name: '数据科', phone: '0591-12345678', email: 'data@example.gov.cn' },
        updateCycle: 'half_yearly',
      },
      { publish: true },
    );
    await buildResource(
      store.db,
      org.id,
      { name: '最简资源', openType: 'conditional', openConditions: '实名注册', format: '数据库' },
      { publish: true },
    );
    await buildResource(store.db, org.id, { name: '未开放资源' }, { publish: true });
  });
  afterAll(() => store.close());

  it('validates the catalog as Turtle and JSON-LD against the DCAT-AP 3.0.1 shapes with no violations', async () => {
    const ttl = await catalogDcat(store.db, ANONYMOUS, BASE, 'turtle');
    expect(ttl.contentType).toContain('text/turtle');
    const fromTurtle = turtleQuads(ttl.body);
    expect(await violations(fromTurtle)).toEqual([]);
    const ld = await catalogDcat(store.db, ANONYMOUS, BASE, 'jsonld');
    const fromJsonLd = await jsonLdQuads(ld.body);
    expect(await violations(fromJsonLd)).toEqual([]);
    // The same graph in both serialisations: two open datasets, the closed one left out.
    expect(fromJsonLd.length).toBe(fromTurtle.length);
    const datasets = fromTurtle.filter((q) => q.predicate.value.endsWith('#dataset'));
    expect(datasets).toHaveLength(2);
  });

  it('maps the fields as standards.md says and round-trips them', async () => {
    const doc = await resourceDcat(store.db, ANONYMOUS, full.code, BASE, 'jsonld');
    const quads = await jsonLdQuads(doc.body);
    expect(await violations(quads)).toEqual([]);
    const dataset = `${BASE}/api/v1/resources/${full.code}`;
    const value = (p: string) =>
      quads.filter((q) => q.subject.value === dataset && q.predicate.value === p).map((q) => q.object.value);
    expect(value('http://purl.org/dc/terms/title')).toEqual(['常住人口基本信息']);
    expect(value('http://purl.org/dc/terms/description')).toEqual([full.summary]);
    expect(value('http://purl.org/dc/terms/identifier')).toEqual([full.code]);
    expect(value('http://purl.org/dc/terms/issued')).toEqual([full.publishDate]);
    expect(value('http://purl.org/dc/terms/accrualPeriodicity')).toEqual([
      'http://publications.europa.eu/resource/authority/frequency/ANNUAL_2',
    ]);
    expect(value('http://purl.org/dc/terms/publisher')).toEqual([
      `${BASE}/api/v1/organizations/${full.provider.id}`,
    ]);
    expect(value('http://www.w3.org/ns/dcat#keyword').sort()).toEqual(['人口', '户籍']);
    expect(value('http://purl.org/dc/terms/conformsTo')).toEqual([`${dataset}/datapackage.json`]);
    expect(value('http://www.w3.org/ns/dcat#distribution')).toHaveLength(3);
    const formats = quads
      .filter((q) => q.predicate.value === 'http://purl.org/dc/terms/format')
      .map((q) => q.object.value);
    expect(formats).toContain('http://publications.europa.eu/resource/authority/file-type/CSV');
    const turtle = await resourceDcat(store.db, ANONYMOUS, full.code, BASE, 'turtle');
    expect(turtleQuads(turtle.body)).toHaveLength(quads.length);
  });

  it('catches a broken dataset (the shapes are really applied)', async () => {
    const doc = await resourceDcat(store.db, ANONYMOUS, full.code, BASE, 'turtle');
    const broken = turtleQuads(doc.body).filter((q) => !q.predicate.value.endsWith('/title'));
    expect((await violations(broken)).join('\n')).toMatch(/title/);
  });
});
