import type { Command } from 'commander';
import type { AlertView, RuleView } from '../../warning/index.js';
import { remoteApi } from '../remote-api.js';
import type { RemoteCredentials } from '../remote-audit.js';
import { action } from '../run-action.js';
import { localServerUrl } from '../server-url.js';

type Connection = { url: string; user?: string };
const BASE = '/api/v1/warning';

/** Signs in as the security officer (or auditor, to read) named by --user, the password from HUITONG_PASSWORD. */
const connect = (o: Connection) =>
  remoteApi({ url: o.url, user: o.user, password: process.env.HUITONG_PASSWORD } satisfies RemoteCredentials);

const withConnection = (command: Command) =>
  command
    .option('--url <url>', 'the running server', localServerUrl())
    .requiredOption('--user <username>', 'a security officer (password in HUITONG_PASSWORD)');

/** Alerts as a terminal reads them, a line each: severity, status, count, last seen, rule, summary. */
export function formatAlerts(alerts: AlertView[]): string {
  if (alerts.length === 0) return 'no alerts\n';
  const lines = alerts.map((a) =>
    [
      a.id,
      a.severity.padEnd(8),
      a.status.padEnd(12),
      String(a.count).padStart(4),
      a.lastSeen.slice(0, 19).replace('T', ' '),
      a.rule.padEnd(20),
      a.summary,
      a.response && !a.response.undoneAt ? `[${a.response.kind} ${a.response.target}]` : '',
    ].join('  '),
  );
  return `${lines.join('\n')}\n`;
}

/** One alert with its entries and lifecycle, for `warning show`. */
function formatAlert(a: AlertView): string {
  return [
    `${a.id}  ${a.severity}  ${a.status}  ${a.rule}`,
    `summary:  ${a.summary}`,
    `subject:  ${a.subject}`,
    `seen:     ${a.count}× from ${a.firstSeen} to ${a.lastSeen}`,
    `entries:  ${a.entries.map((i) => `#${i}`).join(' ')}${a.count > a.entries.length ? ' …' : ''}`,
    `assignee: ${a.assigneeId ?? '-'}`,
    `acknowledged: ${a.acknowledgedAt ? `${a.acknowledgedAt} by ${a.acknowledgedBy}` : '-'}`,
    `resolved: ${a.resolvedAt ? `${a.resolvedAt} by ${a.resolvedBy}` : '-'}`,
    `note:     ${a.note ?? '-'}`,
    `details:  ${JSON.stringify(a.details)}`,
    '',
  ].join('\n');
}

/**
 * `huitong warning …`: the security officer's early-warning centre from a terminal, through a
 * running server's API (the same routes, rights and audit entries as the console): list and show
 * alerts, acknowledge, assign, resolve, undo an automatic response, list the rules.
 */
export function registerWarningCommand(program: Command): void {
  const warning = program
    .command('warning')
    .description('early-warning alerts and rules through a running server (docs/warning.md)');

  withConnection(warning.command('alerts'))
    .description('list alerts, newest first')
    .option('--status <status>', 'open | acknowledged | resolved')
    .option('--severity <severity>', 'low | medium | high | critical')
    .option('--rule <rule>', 'one rule')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print the alerts as JSON')
    .action(
      action(
        async (
          o: Connection & {
            status?: string;
            severity?: string;
            rule?: string;
            limit: string;
            json?: boolean;
          },
        ) => {
          const query = new URLSearchParams({ limit: o.limit });
          for (const key of ['status', 'severity', 'rule'] as const) if (o[key]) query.set(key, o[key]!);
          const page = await (await connect(o)).call<{ items: AlertView[] }>(
            'GET',
            `${BASE}/alerts?${query}`,
          );
          process.stdout.write(
            o.json ? `${JSON.stringify(page.items, null, 2)}\n` : formatAlerts(page.items),
          );
        },
      ),
    );

  withConnection(warning.command('show').argument('<id>', 'the alert'))
    .description('one alert: its entries, assignee and lifecycle')
    .action(
      action(async (id: string, o: Connection) => {
        process.stdout.write(
          formatAlert(await (await connect(o)).call<AlertView>('GET', `${BASE}/alerts/${id}`)),
        );
      }),
    );

  const step = (name: string, description: string) =>
    withConnection(warning.command(name).argument('<id>', 'the alert')).description(description);

  step('acknowledge', 'acknowledge an open alert')
    .option('--note <text>', 'what is being looked at')
    .action(
      action(async (id: string, o: Connection & { note?: string }) => {
        const alert = await (await connect(o)).call<AlertView>('POST', `${BASE}/alerts/${id}/acknowledge`, {
          ...(o.note ? { note: o.note } : {}),
        });
        process.stdout.write(formatAlerts([alert]));
      }),
    );
  step('resolve', 'resolve an alert with a note saying what was found and done')
    .requiredOption('--note <text>', 'what was found and done')
    .action(
      action(async (id: string, o: Connection & { note: string }) => {
        const alert = await (await connect(o)).call<AlertView>('POST', `${BASE}/alerts/${id}/resolve`, {
          note: o.note,
        });
        process.stdout.write(formatAlerts([alert]));
      }),
    );
  step('assign', 'assign an alert to a security officer')
    .requiredOption('--to <userId>', 'the security officer’s user id')
    .action(
      action(async (id: string, o: Connection & { to: string }) => {
        const alert = await (await connect(o)).call<AlertView>('POST', `${BASE}/alerts/${id}/assign`, {
          userId: o.to,
        });
        process.stdout.write(formatAlerts([alert]));
      }),
    );
  step('undo-response', 'resume the key or grant an alert’s automatic response suspended').action(
    action(async (id: string, o: Connection) => {
      const alert = await (await connect(o)).call<AlertView>('POST', `${BASE}/alerts/${id}/undo-response`);
      process.stdout.write(formatAlerts([alert]));
    }),
  );

  withConnection(warning.command('rules'))
    .description('the rules with their severity, switch, thresholds and automatic response')
    .action(
      action(async (o: Connection) => {
        const rules = await (await connect(o)).call<RuleView[]>('GET', `${BASE}/rules`);
        for (const r of rules)
          process.stdout.write(
            `${r.rule.padEnd(22)} ${r.enabled ? 'on ' : 'off'} ${r.severity.padEnd(8)} ${r.response ?? 'none'}  ${JSON.stringify(r.settings)}\n`,
          );
      }),
    );
}
