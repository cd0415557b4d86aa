import type { Random } from './random.js';

/** Days in a month (1-based month). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A date as YYYY-MM-DD. */
export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A uniformly drawn date of the given year. */
export function dateInYear(rng: Random, year: number): string {
  const month = rng.int(1, 12);
  return isoDate(year, month, rng.int(1, daysInMonth(year, month)));
}

/** A date between two years, both included. */
export function dateBetween(rng: Random, fromYear: number, toYear: number): string {
  return dateInYear(rng, rng.int(fromYear, toYear));
}

/** Whole years from `birth` to `on` (both YYYY-MM-DD). */
export function ageOn(birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) >= birth.slice(5) ? years : years - 1;
}

/** A date `years` later, same month and day (29 Feb becomes 28 Feb). */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${y}-${md}`;
}
