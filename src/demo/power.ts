import type { Enterprise } from './enterprises.js';
import { seasonalFactor } from './industries.js';
import { MONTHS } from './profiles.js';
import type { Random } from './random.js';

/** One month's metered use of an enterprise's account (企业月度用电). */
export interface PowerReading {
  accountNo: string;
  enterprise: Enterprise;
  month: string;
  kwh: number;
  peakKwh: number;
  valleyKwh: number;
  amount: number;
  voltage: string;
}

/** Near zero: below this many kWh a month an office with lights and one computer is not running. */
export const NEAR_ZERO_KWH = 50;

const VOLTAGE = { micro: '0.4kV', small: '0.4kV', medium: '10kV', large: '110kV' } as const;

/**
 * Twelve months of readings per enterprise while its account is open. Use fits the industry and
 * size with the province's seasonality; `shells` (active micro enterprises registered before 2024)
 * read near zero for the last six months, as dormant shell companies do.
 */
export function generatePower(
  rng: Random,
  enterprises: Enterprise[],
  shellCount: number,
): { readings: PowerReading[]; accounts: Map<Enterprise, string>; shells: Enterprise[] } {
  const candidates = enterprises.filter(
    (e) => e.status === 'active' && e.size === 'micro' && e.registrationDate < '2024-01-01',
  );
  const shells = new Set<Enterprise>();
  while (shells.size < Math.min(shellCount, candidates.length)) shells.add(rng.pick(candidates));
  // Decoys the analysis must not flag: seasonal farms idle in winter, and premises idle for a quarter.
  const decoys = new Set(
    enterprises.filter((e) => e.status === 'active' && !shells.has(e) && rng.chance(0.02)),
  );

  const readings: PowerReading[] = [];
  const accounts = new Map<Enterprise, string>();
  let account = 0;
  for (const e of enterprises) {
    const open = e.registrationDate.slice(0, 7);
    const close = e.endDate?.slice(0, 7);
    if (close && close < MONTHS[0]!) continue;
    account++;
    const accountNo = `35${String(1_000_000 + account * 37).padStart(8, '0')}`;
    accounts.set(e, accountNo);
    const sizeIndex = ['micro', 'small', 'medium', 'large'].indexOf(e.size);
    const typical =
      e.industry.kwh[sizeIndex]! * rng.spread(0.45) * (0.6 + (0.8 * e.employees) / (e.employees + 10));
    const dormantFrom = shells.has(e) ? rng.int(0, 6) : 12;
    const idle = decoys.has(e) ? rng.int(8, 10) : -1;
    MONTHS.forEach((month, i) => {
      if (month < open || (close && month > close)) return;
      let kwh = Math.max(120, typical * seasonalFactor(e.industry, i) * rng.spread(0.08));
      if (i >= dormantFrom) kwh = rng.int(0, 35);
      else if (idle >= 0 && i >= idle - 2 && i <= idle) kwh = rng.int(0, 30);
      kwh = Math.round(kwh);
      const peak = Math.round(kwh * (0.38 + rng.next() * 0.2));
      const valley = Math.round(kwh * (0.18 + rng.next() * 0.15));
      const price = e.industry.code === 'C' ? 0.62 : 0.68;
      readings.push({
        accountNo,
        enterprise: e,
        month,
        kwh,
        peakKwh: peak,
        valleyKwh: valley,
        amount: Math.round(kwh * price * 100) / 100,
        voltage: VOLTAGE[e.size],
      });
    });
  }
  return { readings, accounts, shells: [...shells] };
}
