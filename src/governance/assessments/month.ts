import { startOfDay } from '../shanghai.js';

/** The instants a Shanghai month begins and ends (exclusive), and its days. */
export interface MonthBounds {
  month: string;
  from: Date;
  to: Date;
  firstDay: string;
  /** The first day of the next month. */
  nextDay: string;
}

/** The bounds of a month `YYYY-MM` in Asia/Shanghai. */
export function monthBounds(month: string): MonthBounds {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  const firstDay = `${month}-01`;
  const nextDay = `${next}-01`;
  return { month, from: startOfDay(firstDay), to: startOfDay(nextDay), firstDay, nextDay };
}

/** The Shanghai month of an instant. */
export function monthOf(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** The month before. */
export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}
