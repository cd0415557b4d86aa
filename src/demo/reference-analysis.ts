import { NEAR_ZERO_KWH } from './power.js';
import { HIGH_BASE } from './subsistence.js';

type Row = Record<string, string | number | null>;

/** The last six months of the readings, which the shell-company analysis looks at. */
export const LAST_SIX_MONTHS = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];

/**
 * The shell-company analysis in plain code, as the scenario's SQL states it: enterprises
 * registered as 存续 whose every reading of the last six months is below NEAR_ZERO_KWH, with
 * all six months read. Tests compare the platform's answer and the planted list with this.
 */
export function findShellCompanies(enterprises: Row[], readings: Row[]): string[] {
  const low = new Map<string, number>();
  for (const r of readings) {
    if (!LAST_SIX_MONTHS.includes(String(r.month))) continue;
    const key = String(r.credit_code);
    low.set(key, (low.get(key) ?? 0) + (Number(r.kwh) < NEAR_ZERO_KWH ? 1 : -100));
  }
  return enterprises
    .filter((e) => e.status === '存续' && low.get(String(e.credit_code)) === 6)
    .map((e) => String(e.credit_code))
    .sort();
}

/**
 * The 低保 cross-check in plain code: certificates of households with a member who is the legal
 * representative of an active enterprise, or whose contribution base is at least HIGH_BASE.
 */
export function findWelfareAnomalies(members: Row[], enterprises: Row[], insurance: Row[]): string[] {
  const reps = new Set(enterprises.filter((e) => e.status === '存续').map((e) => e.legal_rep_id_number));
  const rich = new Set(
    insurance.filter((r) => Number(r.contribution_base) >= HIGH_BASE).map((r) => r.id_number),
  );
  const found = new Set<string>();
  for (const m of members)
    if (reps.has(m.id_number) || rich.has(m.id_number)) found.add(String(m.certificate_no));
  return [...found].sort();
}
