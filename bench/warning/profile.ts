// Profiles one evaluation of the synthetic log (npx tsx bench/warning/profile.ts; STORE=postgres, C=consumers):
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { KyselyPlugin } from 'kysely';
import { createAuditLog } from '../../src/audit/index.js';
import { dayOf as shanghaiDay, WorkingCalendar } from '../../src/governance/index.js';
import { WarningEngine } from '../../src/warning/index.js';
import { buildOrganization, buildResource, PERSON_ITEMS } from '../../test/support/factories.js';
import { testAuditKey } from '../../test/support/http.js';
import { openTestStore } from '../../test/support/store.js';
import { syntheticLog } from './log.js';

const kind = (process.env.STORE ?? 'pglite') as 'pglite' | 'postgres';
const store = await openTestStore(kind);
const audit = await createAuditLog(store, {
  key: testAuditKey(),
  checkpointIntervalMs: 0,
  checkpointEvery: 0,
});
const provider = await buildOrganization(store.db);
const personal = await buildResource(store.db, provider.id, { items: PERSON_ITEMS });
const calendar = new WorkingCalendar();
const { events } = syntheticLog({
  consumers: Number(process.env.C ?? 20),
  days: 30,
  rounds: 3,
  start: new Date('2026-10-12T00:00:00+08:00'),
  personalResource: personal.code,
  isWorkingDay: (t) => calendar.isWorkingDay(shanghaiDay(t)),
});
for (let i = 0; i < events.length; i += 5000) await audit.appendMany(events.slice(i, i + 5000));
const counts = new Map<string, number>();
const plugin: KyselyPlugin = {
  transformQuery(args) {
    const n = args.node as {
      kind: string;
      from?: { froms: { table: { identifier: { name: string } } }[] };
      table?: { table: { identifier: { name: string } } };
      into?: { table: { identifier: { name: string } } };
    };
    const t =
      n.from?.froms?.[0]?.table?.identifier?.name ??
      n.table?.table?.identifier?.name ??
      n.into?.table?.identifier?.name ??
      '?';
    const k = `${n.kind} ${t}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    return args.node;
  },
  async transformResult(args) {
    return args.result;
  },
};
const engine = new WarningEngine(store.db.withPlugin(plugin));
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const t0 = performance.now();
const { evaluated, alerts } = await engine.evaluate();
const ms = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
mkdirSync('/tmp/wprof', { recursive: true });
writeFileSync('/tmp/wprof/eval.cpuprofile', JSON.stringify(profile));
console.log({
  evaluated,
  alerts: alerts.length,
  ms: Math.round(ms),
  rate: Math.round(evaluated / (ms / 1000)),
});
console.log([...counts].sort((a, b) => b[1] - a[1]));
await audit.close();
await store.close();
process.exit(0);
