// Planted audit entries for the early-warning tests: releases, verifications and logins at chosen
// times, in the shapes the platform writes them (src/audit/release.ts, src/http/audit-event.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { AuditActor, AuditEvent } from '../../src/audit/index.js';

const SHA = 'a'.repeat(64);

/** An instant given in Asia/Shanghai wall-clock time (UTC+8). */
export function shanghai(local: string): Date {
  return new Date(`${local}+08:00`);
}

/** `minutes` after an instant. */
export function plus(time: Date, minutes: number): Date {
  return new Date(time.getTime() + minutes * 60_000);
}

/** An application actor (one key of it). */
export function appActor(
  orgId = 'org-consumer',
  app = `app-${randomBytes(3).toString('hex')}`,
  key = 'k1',
): AuditActor {
  return { kind: 'application', id: `${app}/${key}`, orgId };
}

/** A release delivered whole, as the pipeline logs it. */
export function release(
  actor: AuditActor,
  time: Date,
  options: {
    resources?: string[];
    items?: Record<string, string[]>;
    rows?: number;
    format?: string;
    grantId?: string | null;
    ip?: string;
    status?: string;
  } = {},
): AuditEvent {
  const resources = options.resources ?? ['R1'];
  return {
    type: 'data.release',
    actor,
    requestId: randomBytes(6).toString('hex'),
    resources,
    time,
    data: {
      items: options.items ?? Object.fromEntries(resources.map((r) => [r, ['区划']])),
      grantId: options.grantId ?? null,
      purpose: '测试',
      query: 'rows',
      format: options.format ?? 'json',
      ...(options.ip ? { ip: options.ip } : {}),
      rows: options.rows ?? 10,
      bytes: 100,
      sha256: SHA,
      status: options.status ?? 'complete',
    },
  };
}

/** What an application received from another node, as its own node logs it (federation.receipt). */
export function receipt(
  actor: AuditActor,
  time: Date,
  options: { rows?: number; resource?: string } = {},
): AuditEvent {
  const resource = options.resource ?? 'R9';
  return {
    type: 'federation.receipt',
    actor,
    requestId: randomBytes(6).toString('hex'),
    resources: [`fj-350000:${resource}`],
    time,
    data: {
      provider: 'fj-350000',
      resource,
      rows: options.rows ?? 10,
      bytes: 100,
      sha256: SHA,
      receipt: {},
      signature: 'x',
    },
  };
}

/** A verification (核验) of a claim about one record, logged as the digest of its identifier. */
export function verification(actor: AuditActor, time: Date, resource: string, record: string): AuditEvent {
  const digest = (v: string) => createHash('sha256').update(v).digest('hex');
  return {
    type: 'data.release',
    actor,
    requestId: randomBytes(6).toString('hex'),
    resources: [resource],
    time,
    data: {
      items: { [resource]: ['身份证号', '姓名'] },
      grantId: null,
      purpose: '核验',
      query: 'verify ["身份证号","姓名"]',
      format: 'verification',
      claim: { 身份证号: digest(record), 姓名: digest('name') },
      rows: 1,
      bytes: 20,
      sha256: SHA,
      status: 'complete',
    },
  };
}

/** A failed login from an address at an account, as the login route logs it. */
export function failedLogin(ip: string, username: string, time: Date): AuditEvent {
  return {
    type: 'auth.login_failed',
    actor: { kind: 'system', id: 'anonymous', orgId: null },
    requestId: randomBytes(6).toString('hex'),
    time,
    data: { ip, username },
  };
}
