import type { AuditEvent } from '../../src/audit/index.js';

/** A realistic data-release entry (~600 bytes of canonical JSON), different for each n. */
export function benchEvent(n: number): AuditEvent {
  return {
    type: 'data.release',
    actor: { kind: 'application', id: `app-${n % 97}`, orgId: `org-${n % 31}` },
    requestId: `req-${n.toString(36)}-${(n * 2654435761) % 4294967296}`,
    resources: [`R-${(n % 500).toString().padStart(4, '0')}`, 'R-9001'],
    data: {
      grantId: `grant-${n % 211}`,
      purpose: '社会保障资格核验 (eligibility check)',
      items: {
        [`R-${(n % 500).toString().padStart(4, '0')}`]: ['name', 'id_number', 'address'],
        'R-9001': ['amount'],
      },
      query: `SELECT name, id_number, address FROM r_${n % 500} WHERE region_code = '350102' LIMIT 100`,
      rows: n % 1000,
      bytes: (n % 1000) * 87,
      sha256: (n * 2654435761).toString(16).padStart(64, '0').slice(-64),
    },
  };
}

/** The p-th percentile (0–100) of some samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
