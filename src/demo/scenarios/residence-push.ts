import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ApplicationView } from '../../identity/index.js';
import { RawBody } from '../client.js';
import { APPLICATIONS } from '../load-sharing.js';
import { codeOf, login, MASKED_ID, type ScenarioContext, type ScenarioOutcome } from './context.js';

const RESOURCE = '全省户籍人口基本信息';
const NEW_DISTRICT = '福建省福州市鼓楼区';
const NEW_ADDRESS = `${NEW_DISTRICT}五四路88号3单元502室`;

interface Event {
  seq: number;
  eventId: string;
  op: string;
  key: Record<string, unknown>;
  row: Record<string, unknown> | null;
}
interface Page {
  events: Event[];
  next: number;
}

/**
 * 让数据多跑路 (订阅推送): the Fuzhou enrolment system subscribes to 全省户籍人口基本信息 under its
 * grant, instead of asking again each term. 公安厅's steward names the key the population file's
 * versions are compared by, then uploads the day's new version, in which one citizen moved. The
 * system's long poll wakes with exactly that change. Expected: one `update` event for the
 * citizen, the new address in it masked below the district and the ID number masked, as the
 * grant says.
 */
export async function residencePush(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const admin = await login(ctx, 'fzjy.admin');
  const app = (await ctx.client.all<ApplicationView>(admin, '/api/v1/applications')).find(
    (a) => a.name === APPLICATIONS.fzjy!.name,
  );
  if (!app) throw new Error('the enrolment application is missing: is the demo loaded?');
  const key = await ctx.client.call<{ key: string; apiKey: { id: string } }>(
    admin,
    'POST',
    `/api/v1/applications/${app.id}/keys`,
    { name: `订阅演示 ${new Date().toISOString()}`, roles: ['analyst'] },
  );
  const system = { bearer: key.key };
  let subscription: string | undefined;
  try {
    const steward = await login(ctx, 'gat.steward');
    const code = await codeOf(ctx, steward, RESOURCE);
    const binding = await ctx.client.call<{ sourceId: string; from: unknown }>(
      steward,
      'GET',
      `/api/v1/resources/${code}/binding`,
    );
    await ctx.client.call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId: binding.sourceId,
      from: binding.from,
      capture: { keyColumns: ['id_number'] },
    });
    steps.push(`gat.steward named id_number as the key the versions of ${code} ${RESOURCE} are compared by`);

    const created = await ctx.client.call<{ id: string; status: string }>(
      system,
      'POST',
      '/api/v1/subscriptions',
      {
        resourceCode: code,
        fields: ['id_number', 'name', 'region_code', 'address'],
      },
    );
    subscription = created.id;
    let after = 0;
    let snapshot = 0;
    for (;;) {
      const page = await ctx.client.call<Page>(
        system,
        'GET',
        `/api/v1/subscriptions/${created.id}/changes?after=${after}&limit=1000`,
      );
      if (page.events.length === 0) break;
      snapshot += page.events.length;
      after = page.next;
    }
    steps.push(`${app.name} subscribed (${created.status}); its snapshot holds ${snapshot} citizens`);

    // The day's new version of the population file: one citizen moved.
    const citizen = ctx.planted.insuredCitizen;
    const current = await ctx.client.raw(
      steward,
      'GET',
      `/api/v1/resources/${code}/rows?format=csv&header=field`,
    );
    const rows = parse(await current.text(), { columns: true }) as Array<Record<string, string>>;
    const moved = rows.find((r) => r.id_number === citizen.idNumber);
    if (!moved) throw new Error('the planted citizen is not in the population file');
    moved.address = NEW_ADDRESS;
    await ctx.client.call(
      steward,
      'PUT',
      `/api/v1/sources/${binding.sourceId}/file?format=csv&encoding=utf-8`,
      new RawBody(Buffer.from(stringify(rows, { header: true })), 'text/csv'),
    );
    steps.push(`gat.steward uploaded the new version of the population file: ${citizen.name} moved`);

    // The system waits on its long poll; the change arrives when the platform has compared the versions.
    let events: Event[] = [];
    const deadline = Date.now() + 60_000;
    while (events.length === 0 && Date.now() < deadline) {
      const page = await ctx.client.call<Page>(
        system,
        'GET',
        `/api/v1/subscriptions/${created.id}/changes?after=${after}&wait=20`,
      );
      events = page.events;
    }
    const [change] = events;
    const idShown = String(change?.row?.id_number ?? '');
    steps.push(
      `the long poll woke with ${events.length} event(s): ${change?.op} of ${idShown}, address ${String(change?.row?.address ?? '')}`,
    );
    const ok =
      events.length === 1 &&
      change?.op === 'update' &&
      // The grant masks the address below the district: the new district shows, the rest does not.
      String(change.row?.address).startsWith(NEW_DISTRICT) &&
      change.row?.address !== NEW_ADDRESS &&
      MASKED_ID.test(idShown);
    return {
      name: 'residence-push',
      title: '户籍变更推送：入学报名系统订阅户籍人口，迁居的变更即时到达',
      ok,
      steps,
      evidence: { snapshot, events, subscription: created.id },
    };
  } finally {
    if (subscription)
      await ctx.client.call(system, 'DELETE', `/api/v1/subscriptions/${subscription}`).catch(() => undefined);
    await ctx.client.call(admin, 'POST', `/api/v1/applications/${app.id}/keys/${key.apiKey.id}/revoke`);
  }
}
