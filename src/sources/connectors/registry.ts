import { type SourcePoolFigures, watchSourcePools } from '../../observability/index.js';
import type { Connector } from './connector.js';

interface Entry {
  version: string;
  connector: Promise<Connector>;
  /** Set once the connector has opened, for the pool gauges (which cannot await). */
  opened?: Connector;
}

/**
 * One open connector (and so one small pool) per source, reused across requests. A source's
 * `updated_at` is its version: after an update the old pool is closed and a new one opened with
 * the new options; after a delete the pool is closed.
 */
export class ConnectorRegistry {
  private readonly open = new Map<string, Entry>();
  private readonly unwatch = watchSourcePools(() => this.poolFigures());

  /** Each open pool's connections, by source id (ids, not names: a label must not change). */
  poolFigures(): SourcePoolFigures[] {
    return [...this.open.entries()].flatMap(([source, entry]) => {
      const figures = entry.opened?.poolFigures?.();
      return figures && entry.opened ? [{ source, kind: entry.opened.kind, ...figures }] : [];
    });
  }

  /** The source's connector at `version`, opening it with `make` when absent or stale. */
  async get(sourceId: string, version: string, make: () => Promise<Connector>): Promise<Connector> {
    const current = this.open.get(sourceId);
    if (current?.version === version) return current.connector;
    if (current) await this.close(sourceId);
    const connector = make();
    const entry: Entry = { version, connector };
    this.open.set(sourceId, entry);
    connector.then(
      (opened) => {
        entry.opened = opened;
      },
      () => undefined,
    );
    // A connector that failed to open is not kept: the next call tries again.
    connector.catch(() => {
      if (this.open.get(sourceId)?.connector === connector) this.open.delete(sourceId);
    });
    return connector;
  }

  /** Closes and forgets a source's connector (on update or delete). */
  async close(sourceId: string): Promise<void> {
    const entry = this.open.get(sourceId);
    if (!entry) return;
    this.open.delete(sourceId);
    await entry.connector.then((c) => c.close()).catch(() => undefined);
  }

  /** Closes every connector (on shutdown). */
  async closeAll(): Promise<void> {
    this.unwatch();
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }
}
