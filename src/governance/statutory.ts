import { createRequire } from 'node:module';
import type { DayKey } from './shanghai.js';

// The State Council's holiday arrangements (国务院办公厅关于节假日安排的通知) as the
// `chinese-days` package ships them: its JSON is bundled in node_modules, so nothing is fetched
// at run time. Each entry reads "English name,中文名,days".
interface Bundled {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}
const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as Bundled;

/** The statutory status of a day: a holiday, an adjusted working day (调休), or nothing special. */
export interface StatutoryDay {
  kind: 'holiday' | 'workday';
  /** The festival's Chinese name (国庆节, 春节 …). */
  name: string;
}

/** The years whose arrangement the package knows; a year outside them is counted by weekends only. */
export const COVERED_YEARS: readonly number[] = [
  ...new Set(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4)))),
].sort((a, b) => a - b);
const covered = new Set(COVERED_YEARS);

const chineseName = (entry: string) => entry.split(',')[1] ?? entry;

/** What the State Council's arrangement says of a day, if anything. */
export function statutoryDay(day: DayKey): StatutoryDay | undefined {
  const holiday = data.holidays[day];
  if (holiday) return { kind: 'holiday', name: chineseName(holiday) };
  const workday = data.workdays[day];
  if (workday) return { kind: 'workday', name: chineseName(workday) };
  return undefined;
}

/** Whether the package knows the arrangement of the day's year. */
export function yearCovered(day: DayKey): boolean {
  return covered.has(Number(day.slice(0, 4)));
}
