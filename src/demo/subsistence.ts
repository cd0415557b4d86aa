import { isoDate } from './dates.js';
import type { Enterprise } from './enterprises.js';
import type { Household } from './people.js';
import type { Random } from './random.js';
import { contributionBase, type InsuranceRecord } from './social-insurance.js';

/** A household receiving the minimum living allowance (最低生活保障). */
export interface SubsistenceHousehold {
  certificate: string;
  household: Household;
  type: '城市低保' | '农村低保';
  /** 保障标准, 元/人·月. */
  standard: number;
  /** 月保障金额, 元. */
  allowance: number;
  approvalDate: string;
}

/** A planted inconsistency: a 低保 household that owns an enterprise or earns a high wage. */
export interface WelfareAnomaly {
  certificate: string;
  idNumber: string;
  reason: 'owns_enterprise' | 'high_contribution';
}

// 2025 standards per city (元/人·月), rounded from the cities' published figures.
const STANDARD: Record<string, number> = {
  '350100': 1_020,
  '350200': 1_100,
  '350300': 900,
  '350400': 880,
  '350500': 980,
  '350600': 900,
  '350700': 870,
  '350800': 890,
  '350900': 880,
};

/** The thresholds the cross-check applies: a wage base at or above this is not a low income. */
export const HIGH_BASE = 10_000;

/**
 * Picks about 3 % of households as 低保 recipients among those with no enterprise and no high
 * wage, preferring rural and elderly households, then plants `anomalies` that a cross-check finds.
 */
export function generateSubsistence(
  rng: Random,
  households: Household[],
  enterprises: Enterprise[],
  insurance: InsuranceRecord[],
  anomalies: number,
): { households: SubsistenceHousehold[]; anomalies: WelfareAnomaly[] } {
  const reps = new Set(enterprises.map((e) => e.legalRep.idNumber));
  const wages = new Map(insurance.map((r) => [r.person.idNumber, r]));
  const eligible = households.filter((h) =>
    h.members.every((m) => !reps.has(m.idNumber) && (wages.get(m.idNumber)?.base ?? 0) < 8_000),
  );
  const chosen: SubsistenceHousehold[] = [];
  const taken = new Set<Household>();
  const target = Math.max(anomalies * 5, Math.round(households.length * 0.025));
  // Passes over the eligible households until enough are chosen; each pass favours the poorest.
  for (let pass = 0; pass < 20 && chosen.length < target; pass++) {
    for (const h of eligible) {
      if (chosen.length >= target) break;
      if (taken.has(h)) continue;
      const head = h.members[0]!;
      const p = (h.rural ? 0.05 : 0.015) * (head.age >= 65 ? 2.5 : 1) * (h.members.length === 1 ? 1.5 : 1);
      if (!rng.chance(p)) continue;
      taken.add(h);
      const standard = STANDARD[h.district.cityCode]!;
      const year = rng.int(2016, 2025);
      chosen.push({
        certificate: `DB${h.district.code}${year}${String(chosen.length + 1).padStart(5, '0')}`,
        household: h,
        type: h.rural ? '农村低保' : '城市低保',
        standard,
        allowance: Math.round((standard * h.members.length * (0.45 + 0.55 * rng.next())) / 10) * 10,
        approvalDate: isoDate(year, rng.int(1, year === 2025 ? 11 : 12), rng.int(1, 28)),
      });
    }
  }
  return { households: chosen, anomalies: plant(rng, chosen, enterprises, insurance, anomalies) };
}

function plant(
  rng: Random,
  chosen: SubsistenceHousehold[],
  enterprises: Enterprise[],
  insurance: InsuranceRecord[],
  count: number,
): WelfareAnomaly[] {
  const owned = enterprises.filter(
    (e) => e.status === 'active' && (e.size === 'small' || e.size === 'medium'),
  );
  const employers = enterprises.filter(
    (e) => e.status === 'active' && (e.size === 'medium' || e.size === 'large'),
  );
  const working = (s: SubsistenceHousehold) => s.household.members.find((m) => m.age >= 22 && m.age <= 59);
  const candidates = chosen.filter((s) => working(s));
  const out: WelfareAnomaly[] = [];
  const used = new Set<Enterprise>();
  const picks = Math.min(count, candidates.length);
  for (let i = 0; i < picks; i++) {
    const s = candidates[Math.floor((i * candidates.length) / picks)]!;
    const head = working(s)!;
    if (i % 2 === 0) {
      let e = rng.pick(owned);
      while (used.has(e)) e = rng.pick(owned);
      used.add(e);
      e.legalRep = head;
      out.push({ certificate: s.certificate, idNumber: head.idNumber, reason: 'owns_enterprise' });
    } else {
      const employer = rng.pick(employers);
      const base = Math.max(HIGH_BASE + 2_000, contributionBase(rng, 'large'));
      const record = insurance.find((r) => r.person === head);
      const planted = {
        person: head,
        scheme: '企业职工基本养老保险',
        status: '参保缴费',
        employer,
        base,
        startDate: '2012-03-01',
      };
      if (record) Object.assign(record, planted);
      else insurance.push(planted);
      out.push({ certificate: s.certificate, idNumber: head.idNumber, reason: 'high_contribution' });
    }
  }
  return out;
}
