import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { type Actor, ANONYMOUS } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { type SearchQuery, searchResources } from './index.js';
import { searchDocument } from './search-document.js';
import { type ParsedSearchQuery, SearchQuerySchema, searchFilter } from './search-query.js';
import { visibleResourceFilter } from './visibility.js';

// The facet index (migration 0028) only adds conditions to a search; these tests hold that the
// answer stays exactly what the plain filters give, over a generated catalog and random searches.

let seed = 7;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const some = <T>(xs: readonly T[]): T | T[] =>
  rand() < 0.5 ? pick(xs) : [...new Set([pick(xs), pick(xs), pick(xs)])];

const REGIONS = ['350000', '350200', '350203', '350500', '110000', '110105'];
const WORDS = ['人口', '企业', '用电', '户籍', '社保', 'census', 'population'];
const SHARING = ['unconditional', 'conditional', 'not_shared'] as const;
const OPEN = ['unconditional', 'conditional', 'not_open'] as const;
const GRADES = ['general', 'important', 'core'] as const;
const CYCLES = ['daily', 'monthly', 'yearly', 'irregular'] as const;
// Free text: a quote and a backslash must not break the index's query.
const FORMATS = ['CSV', 'XLSX', '数据库', '', "it's \\N"];
const LEVELS = ['national', 'provincial', 'municipal', 'county'] as const;
const STATUSES = ['published', 'published', 'published', 'draft', 'retired'] as const;
// Codes of every length the seed has, and a 目 of nine digits added below.
const CLASSES = ['1', '101', '101001', '101002', '102001', '2', '206', '210', '101001001'];
const prefixes = (code: string, min: number) =>
  Array.from({ length: code.length - min + 1 }, (_, i) => code.slice(0, min + i));

describeEachStore('catalog search with the facet index', (kind) => {
  let store: Store;
  const orgs: Array<{ id: string; name: string; region: string; level: string }> = [];
  beforeAll(async () => {
    store = await openTestStore(kind);
    await store.db
      .insertInto('classifications')
      .values({ code: '101001001', name: '户籍人口明细', parent_code: '101001', level: 4 })
      .execute();
    for (const region of REGIONS)
      for (const level of LEVELS.slice(0, 2))
        orgs.push({ id: randomUUID(), name: `${region}${level}部门`, region, level });
    await store.db
      .insertInto('organizations')
      .values(
        orgs.map((o) => ({
          id: o.id,
          name: o.name,
          kind: 'department',
          level: o.level,
          region_code: o.region,
          created_at: new Date(),
          updated_at: new Date(),
        })),
      )
      .execute();
    const rows = Array.from({ length: 400 }, (_, i) => {
      const org = pick(orgs);
      const sharing = pick(SHARING);
      const status = pick(STATUSES);
      const name = `${pick(WORDS)}${pick(WORDS)}${i}`;
      const tags = [pick(WORDS)];
      const when = new Date(Date.UTC(2021, i % 12, 1 + (i % 28)));
      return {
        id: randomUUID(),
        code: `T-${String(i).padStart(4, '0')}`,
        name,
        classification_code: pick(CLASSES),
        provider_id: org.id,
        provider_name: org.name,
        provider_code: org.region,
        provider_region: org.region,
        provider_level: org.level,
        summary: pick(WORDS),
        format: pick(FORMATS),
        items: JSON.stringify([]),
        sharing_type: sharing,
        sharing_conditions: '',
        sharing_methods: [],
        legal_basis: '',
        open_type: sharing === 'not_shared' ? 'not_open' : pick(OPEN),
        open_conditions: '',
        update_cycle: pick(CYCLES),
        publish_date: null,
        related_codes: [],
        grade: pick(GRADES),
        grade_level: null,
        tags,
        keywords: [],
        contact: JSON.stringify({ name: '', phone: '', email: '' }),
        licence: '',
        status,
        version: 1,
        search_doc: searchDocument({
          name,
          tags,
          keywords: [],
          summary: '',
          classificationName: '',
          items: [],
          providerName: org.name,
        }),
        created_by: null,
        created_at: when,
        updated_at: when,
        published_at: status === 'draft' ? null : when,
        retired_at: status === 'retired' ? when : null,
      };
    });
    await store.db.insertInto('resources').values(rows).execute();
    await sql`analyze resources`.execute(store.db);
  });
  afterAll(() => store.close());

  /** A random search: text or not, each facet filtered now and then (a value, or alternatives). */
  const randomSearch = (): SearchQuery => {
    const q: Record<string, unknown> = { facets: [] };
    const maybe = (key: string, value: () => unknown) => {
      if (rand() < 0.35) q[key] = value();
    };
    maybe('q', () => pick(WORDS));
    // A uuid in upper case names the same provider.
    maybe('provider', () => some(orgs.map((o) => (rand() < 0.5 ? o.id : o.id.toUpperCase()))));
    maybe('classification', () => some(CLASSES.flatMap((c) => prefixes(c, 1)).concat('3', '1019')));
    maybe('sharingType', () => some(SHARING));
    maybe('openType', () => some(OPEN));
    maybe('grade', () => some(GRADES));
    maybe('format', () => some(FORMATS));
    maybe('updateCycle', () => some(CYCLES));
    maybe('region', () => some(REGIONS.flatMap((r) => prefixes(r, 2)).concat('36', '3503')));
    maybe('level', () => some(LEVELS));
    if (rand() < 0.3) q.status = pick(['draft', 'retired']);
    return q as SearchQuery;
  };
  const actors = (): Actor[] => [ANONYMOUS, stewardOf(pick(orgs).id), stewardOf(randomUUID())];

  const matching = async (actor: Actor, query: ParsedSearchQuery, searchIndex: boolean) =>
    (
      await store.db
        .selectFrom('resources')
        .where(visibleResourceFilter(actor))
        .where(searchFilter(query, { searchIndex }))
        .select('code')
        .orderBy('code')
        .execute()
    ).map((r) => r.code);

  it('matches exactly what the plain filters match, for 300 random searches by three actors', async () => {
    let nonEmpty = 0;
    for (let i = 0; i < 100; i++) {
      const query = SearchQuerySchema.parse(randomSearch());
      for (const actor of actors()) {
        const plain = await matching(actor, query, false);
        expect(await matching(actor, query, true), JSON.stringify(query)).toEqual(plain);
        if (plain.length) nonEmpty++;
      }
    }
    // The corpus and searches are such that most searches find something.
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('searchResources counts and pages what the plain filters match', async () => {
    for (let i = 0; i < 30; i++) {
      const input = { ...randomSearch(), facets: undefined, sort: 'name' as const, limit: 1000 };
      const query = SearchQuerySchema.parse(input);
      const actor = pick(actors());
      const plain = await matching(actor, query, false);
      const found = await searchResources(store.db, actor, input);
      expect(found.count).toBe(plain.length);
      expect(found.items.map((r) => r.code).sort()).toEqual(plain);
    }
  });

  it('finds by every prefix of a classification and a region, and by a value among alternatives', async () => {
    const outsider = stewardOf(randomUUID());
    for (const code of ['1', '10', '101', '1010', '10100', '101001', '1010010', '101001001']) {
      const query = SearchQuerySchema.parse({ classification: code });
      const found = await matching(outsider, query, true);
      expect(found.length, code).toBeGreaterThan(0);
      expect(found).toEqual(await matching(outsider, query, false));
    }
    for (const region of ['35', '350', '3502', '35020', '350203']) {
      const query = SearchQuerySchema.parse({ region: [region, '99'] });
      const found = await matching(outsider, query, true);
      expect(found.length, region).toBeGreaterThan(0);
      expect(found).toEqual(await matching(outsider, query, false));
    }
  });
});
