import { type Kysely, sql } from 'kysely';

// The standard top of 信息资源分类 (政务信息资源目录编制指南): 类 is one digit, 项 two more,
// 目 three more. Departments add 细目 below these as their catalogs grow.
const SEED: Array<[code: string, name: string]> = [
  ['1', '基础信息资源'],
  ['101', '人口基础信息'],
  ['101001', '人口基本信息'],
  ['101002', '人口户籍信息'],
  ['101003', '人口流动信息'],
  ['102', '法人基础信息'],
  ['102001', '法人单位基本信息'],
  ['102002', '法人登记注册信息'],
  ['103', '自然资源和空间地理基础信息'],
  ['103001', '土地资源信息'],
  ['103002', '地理空间信息'],
  ['104', '社会信用基础信息'],
  ['104001', '企业信用信息'],
  ['104002', '个人信用信息'],
  ['105', '电子证照基础信息'],
  ['105001', '个人证照'],
  ['105002', '法人证照'],
  ['106', '宏观经济基础信息'],
  ['2', '主题信息资源'],
  ['201', '医疗健康'],
  ['202', '社会保障'],
  ['203', '食品药品安全'],
  ['204', '安全生产'],
  ['205', '价格监管'],
  ['206', '能源安全'],
  ['207', '信用体系'],
  ['208', '城乡建设'],
  ['209', '社区治理'],
  ['210', '生态环境'],
  ['211', '应急管理'],
  ['212', '交通运输'],
  ['213', '教育文化'],
  ['3', '部门信息资源'],
  ['301', '综合政务'],
  ['302', '经济管理'],
  ['303', '国土资源、能源'],
  ['304', '工业、交通'],
  ['305', '城乡建设、环境保护'],
  ['306', '农业、水利'],
  ['307', '财政、金融、审计'],
  ['308', '商贸、海关、旅游'],
  ['309', '公安、安全、司法'],
  ['310', '民政、扶贫、救灾'],
  ['311', '劳动、人事、社会保障'],
  ['312', '科技、教育、文化、卫生、体育'],
];

const level = (code: string) => (code.length === 1 ? 1 : code.length === 3 ? 2 : code.length === 6 ? 3 : 4);
const parent = (code: string) =>
  code.length === 1 ? null : code.length === 3 ? code.slice(0, 1) : code.slice(0, 3);

/** The catalog: classifications (seeded), provider codes, sequences, resources and their versions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('classifications')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.references('classifications.code'))
    .addColumn('level', 'int2', (c) => c.notNull().check(sql`level between 1 and 4`))
    .execute();
  await db
    .insertInto('classifications' as never)
    .values(
      SEED.map(([code, name]) => ({ code, name, parent_code: parent(code), level: level(code) })) as never,
    )
    .execute();

  await db.schema
    .createTable('catalog_providers')
    .addColumn('org_id', 'uuid', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('provider_code', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('catalog_sequences')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('last', 'int4', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('resources')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('classification_code', 'text', (c) => c.notNull().references('classifications.code'))
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('provider_code', 'text', (c) => c.notNull())
    .addColumn('provider_region', 'char(6)', (c) => c.notNull())
    .addColumn('provider_level', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('sharing_type', 'text', (c) => c.notNull())
    .addColumn('sharing_conditions', 'text', (c) => c.notNull())
    .addColumn('sharing_methods', sql`text[]`, (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('open_type', 'text', (c) => c.notNull())
    .addColumn('open_conditions', 'text', (c) => c.notNull())
    .addColumn('update_cycle', 'text', (c) => c.notNull())
    .addColumn('publish_date', 'char(10)')
    .addColumn('related_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('grade_level', 'int2')
    .addColumn('tags', sql`text[]`, (c) => c.notNull())
    .addColumn('keywords', sql`text[]`, (c) => c.notNull())
    .addColumn('contact', 'jsonb', (c) => c.notNull())
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'int4', (c) => c.notNull())
    .addColumn('search_doc', sql`tsvector`, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz')
    .addColumn('retired_at', 'timestamptz')
    // 不予共享 is never open: invariant 3 of the design, held by the database too.
    .addCheckConstraint(
      'resources_not_shared_not_open',
      sql`sharing_type <> 'not_shared' or open_type = 'not_open'`,
    )
    .execute();
  await sql`CREATE INDEX resources_search_idx ON resources USING gin (search_doc)`.execute(db);
  await sql`CREATE INDEX resources_tags_idx ON resources USING gin (tags)`.execute(db);
  await db.schema
    .createIndex('resources_provider_idx')
    .on('resources')
    .columns(['provider_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('resources_created_idx')
    .on('resources')
    .columns(['created_at', 'id'])
    .execute();
  await sql`CREATE INDEX resources_classification_idx ON resources (classification_code text_pattern_ops)`.execute(
    db,
  );
  await db.schema
    .createIndex('resources_status_idx')
    .on('resources')
    .columns(['status', 'sharing_type', 'open_type'])
    .execute();

  await db.schema
    .createTable('resource_versions')
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id'))
    .addColumn('version', 'int4', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addPrimaryKeyConstraint('resource_versions_pkey', ['resource_id', 'version'])
    .execute();
}

/** Drops the catalog tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'resource_versions',
    'resources',
    'catalog_sequences',
    'catalog_providers',
    'classifications',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
