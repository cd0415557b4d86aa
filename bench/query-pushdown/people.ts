// The point query's resource: `<schema>.people` of the benchmarks' PostgreSQL, published
// unconditionally (无条件共享) by the bench platform's provider.
import { BENCH_POSTGRES_SOURCE, type BenchPlatform, publishBound } from '../support/platform.js';

/** Publishes `<schema>.people` (id, qh, age) on `platform`; resolves with its code. */
export function publishPeople(platform: BenchPlatform, schema: string): Promise<string> {
  return publishBound(
    platform,
    platform.providerId,
    BENCH_POSTGRES_SOURCE,
    { schema, table: 'people' },
    {
      items: [
        { name: '编号', field: 'id', dataType: 'number' },
        { name: '区划', field: 'qh', dataType: 'string' },
        { name: '年龄', field: 'age', dataType: 'number' },
      ],
      sharingType: 'unconditional',
    },
  );
}
