/** How much data the demo generates. */
export interface DemoProfile {
  name: 'small' | 'default';
  seed: number;
  people: number;
  enterprises: number;
  /** Active enterprises planted with near-zero power use for the last six months. */
  shellCompanies: number;
  /** 低保 households planted with an enterprise or a high social-insurance base. */
  welfareAnomalies: number;
  healthInstitutions: number;
  schools: number;
  landParcels: number;
}

/** The profiles: `default` for a newcomer's platform, `small` for tests and CI. */
export const PROFILES: Record<DemoProfile['name'], DemoProfile> = {
  default: {
    name: 'default',
    seed: 20171208, // the Politburo study session on the national big-data strategy
    people: 30_000,
    enterprises: 3_000,
    shellCompanies: 36,
    welfareAnomalies: 12,
    healthInstitutions: 600,
    schools: 800,
    landParcels: 400,
  },
  small: {
    name: 'small',
    seed: 20171208,
    people: 2_000,
    enterprises: 300,
    shellCompanies: 8,
    welfareAnomalies: 6,
    healthInstitutions: 80,
    schools: 100,
    landParcels: 60,
  },
};

/** The last day the demo's data describes: readings run over the twelve months of 2025. */
export const REFERENCE_DATE = '2025-12-31';
/** The months of power readings, oldest first. */
export const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);

/** The profile with this name; throws on an unknown one. */
export function demoProfile(name: string = 'default'): DemoProfile {
  const profile = PROFILES[name as DemoProfile['name']];
  if (!profile) throw new Error(`unknown demo profile "${name}" (small | default)`);
  return profile;
}
