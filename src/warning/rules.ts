import type { ResponseKind, RuleId, Severity } from './schemas.js';

/** A setting's default and the range a security officer may set it to. */
export interface Limit {
  default: number;
  min: number;
  max: number;
}

/** A rule of the catalogue: what it watches, its default severity and thresholds. */
export interface RuleDefinition {
  title: string;
  description: string;
  severity: Severity;
  limits: Record<string, Limit>;
  /** The automatic responses the rule may take (besides none): what its findings point at. */
  responses: ResponseKind[];
}

const setting = (value: number, min: number, max: number): Limit => ({ default: value, min, max });
// Findings on a release point at the caller's key and, under one grant, at the grant.
const onRelease: ResponseKind[] = ['none', 'suspend_key', 'suspend_grant'];

// Every rule groups what it finds on one subject into one alert for this long after the last.
const group = { groupMinutes: setting(60, 1, 10_080) };

/** The detectors' rules, their defaults and bounds (docs/warning.md). */
export const RULES: Record<RuleId, RuleDefinition> = {
  volume_above_baseline: {
    title: '调用量远超自身基线',
    description:
      'A consumer’s releases in an hour exceed `factor` × its mean for the same hour of the week over the last `weeks` weeks (and at least `minReleases`), once it has `minWeeks` weeks of history.',
    severity: 'high',
    responses: onRelease,
    limits: {
      factor: setting(5, 1.5, 100),
      minReleases: setting(50, 1, 1_000_000),
      weeks: setting(4, 1, 12),
      minWeeks: setting(2, 1, 12),
      ...group,
    },
  },
  off_hours_bulk: {
    title: '非工作时间批量读取',
    description:
      'A release of at least `minRows` rows on a day off of the working calendar, or before `dayStartHour` or from `dayEndHour` (Asia/Shanghai) on a working day.',
    severity: 'medium',
    responses: onRelease,
    limits: {
      minRows: setting(10_000, 1, 100_000_000),
      dayStartHour: setting(8, 0, 23),
      dayEndHour: setting(18, 1, 24),
      ...group,
    },
  },
  new_address: {
    title: '密钥从新地址调用',
    description:
      'An API key is used from an address it never used before, once past its first `learningHours` hours (whose addresses are learnt quietly).',
    severity: 'medium',
    responses: ['none', 'suspend_key'],
    limits: { learningHours: setting(24, 0, 720), ...group },
  },
  verification_enumeration: {
    title: '核验接口遍历',
    description:
      'One caller verifies claims about at least `distinctSubjects` different records (the first item of the claim) of one resource within `windowMinutes`.',
    severity: 'high',
    responses: onRelease,
    limits: { distinctSubjects: setting(100, 2, 1_000_000), windowMinutes: setting(60, 1, 1440), ...group },
  },
  many_resources: {
    title: '短时间内访问大量资源',
    description: 'One caller reads at least `distinctResources` different resources within `windowMinutes`.',
    severity: 'medium',
    responses: onRelease,
    limits: { distinctResources: setting(20, 2, 100_000), windowMinutes: setting(10, 1, 1440), ...group },
  },
  brute_force: {
    title: '反复登录失败或被拒',
    description:
      'At least `failures` failed logins from one address or at one account, or refused releases of one caller, within `windowMinutes`.',
    severity: 'high',
    responses: ['none'],
    limits: { failures: setting(10, 2, 100_000), windowMinutes: setting(15, 1, 1440), ...group },
  },
  burst_before_expiry: {
    title: '授权到期前突击读取',
    description:
      'At least `releases` releases under one grant within `windowMinutes`, in the last `hoursBeforeExpiry` hours before it expires.',
    severity: 'medium',
    responses: ['none', 'suspend_grant'],
    limits: {
      releases: setting(50, 2, 1_000_000),
      windowMinutes: setting(60, 1, 1440),
      hoursBeforeExpiry: setting(72, 1, 720),
      ...group,
    },
  },
  personal_data_export: {
    title: '个人信息大量导出',
    description:
      'A file export (CSV, XLSX, Parquet, NDJSON, Arrow) of at least `rows` rows that includes items the catalog marks personal.',
    severity: 'high',
    responses: onRelease,
    limits: { rows: setting(5000, 1, 100_000_000), ...group },
  },
  self_approval: {
    title: '审批本单位的申请',
    description:
      'A steward (or security officer) approves an access request filed by their own organisation.',
    severity: 'high',
    responses: ['none'],
    limits: { ...group },
  },
  night_admin: {
    title: '夜间管理操作',
    description:
      'An administrative change (users, organisations, keys, sources, bindings, grants, calendar, rules) made by a person from `nightStartHour` to `nightEndHour` (Asia/Shanghai).',
    severity: 'low',
    responses: ['none'],
    limits: { nightStartHour: setting(22, 0, 23), nightEndHour: setting(6, 0, 23), ...group },
  },
  federation_log_fork: {
    title: '联邦节点审计日志分叉或回滚',
    description:
      'A witness (this node’s, or another member’s relayed by the root) found that a federation member’s audit log shows a history that does not extend the checkpoints it signed before (a fork), or fewer entries (a rollback).',
    severity: 'critical',
    responses: ['none'],
    limits: { ...group },
  },
};
