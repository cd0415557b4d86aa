import { Gauge } from 'prom-client';
import { Providers, registry } from './registry.js';

const stores = new Providers<() => boolean>();

new Gauge({
  name: 'huitong_store_up',
  help: '1 while the metadata store answers, 0 while the server refuses with 503 store_unavailable',
  registers: [registry],
  collect() {
    const all = stores.list();
    this.set(all.length === 0 || all.every((up) => up()) ? 1 : 0);
  },
});

/** Lets the gauge read whether the metadata store answers. */
export function watchStore(up: () => boolean): () => void {
  return stores.add(up);
}
