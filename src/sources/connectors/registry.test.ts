import { describe, expect, it } from 'vitest';
import { parseScrape } from '../../../test/support/prometheus.js';
import { metricsText } from '../../observability/index.js';
import type { Connector } from './connector.js';
import { ConnectorRegistry } from './registry.js';

const pooled = (figures: { total: number; idle: number; waiting: number }) =>
  ({ kind: 'postgres', close: async () => undefined, poolFigures: () => figures }) as unknown as Connector;

const scrape = async () => parseScrape((await metricsText()).body);

describe('source pools on /metrics', () => {
  it('shows each open pool by source and state, and forgets it once closed', async () => {
    const registry = new ConnectorRegistry();
    await registry.get('src-a', 'v1', async () => pooled({ total: 4, idle: 1, waiting: 2 }));
    await registry.get('src-b', 'v1', async () => ({ kind: 'file', close: async () => undefined }) as never);
    const open = await scrape();
    const pool = (state: string) =>
      open.value('huitong_source_pool_connections', { source: 'src-a', kind: 'postgres', state });
    expect([pool('total'), pool('idle'), pool('waiting')]).toEqual([4, 1, 2]);
    // A file source has no pool and no series.
    expect(open.labels('huitong_source_pool_connections').some((l) => l.source === 'src-b')).toBe(false);

    await registry.closeAll();
    const closed = await scrape();
    expect(closed.labels('huitong_source_pool_connections').some((l) => l.source === 'src-a')).toBe(false);
  });
});
