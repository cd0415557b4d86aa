import { type Enterprise, generateEnterprises } from './enterprises.js';
import { generateHealthInstitutions, generateSchools } from './institutions.js';
import { generateLand } from './land.js';
import { generatePeople, type Household, type Person } from './people.js';
import { generatePower } from './power.js';
import type { DemoProfile } from './profiles.js';
import { Random } from './random.js';
import { generateInsurance } from './social-insurance.js';
import { generateSubsistence, type WelfareAnomaly } from './subsistence.js';
import type { DemoTable } from './table.js';
import { buildTables } from './tables.js';
import { generatePermits, generateTax } from './tax-permits.js';

/** A citizen the verification scenario asks about, with what is true of them. */
export interface VerificationSample {
  idNumber: string;
  name: string;
  regionCode: string;
  insured: boolean;
}

/** What the generator planted, so that scenarios and tests know what must be found. */
export interface Planted {
  /** Credit codes of active enterprises with near-zero use for the last six months, sorted. */
  shellCompanies: string[];
  /** 低保 households that own an enterprise or earn a high wage, by certificate. */
  welfareAnomalies: WelfareAnomaly[];
  /** A citizen who lives where the register says and pays social insurance. */
  insuredCitizen: VerificationSample;
  /** A registered citizen without active social insurance. */
  uninsuredCitizen: VerificationSample;
}

/** The whole generated province. */
export interface DemoData {
  profile: DemoProfile;
  tables: DemoTable[];
  planted: Planted;
}

/** Generates the demo province from the profile's seed: the same profile gives the same bytes. */
export function generateDemoData(profile: DemoProfile): DemoData {
  const root = new Random(profile.seed);
  const households: Household[] = generatePeople(root.fork('people'), profile.people);
  const people: Person[] = households.flatMap((h) => h.members);
  const adults = people.filter((p) => p.age >= 22);
  const enterprises: Enterprise[] = generateEnterprises(
    root.fork('enterprises'),
    profile.enterprises,
    adults,
  );
  const active = enterprises.filter((e) => e.status === 'active');
  const insurance = generateInsurance(root.fork('insurance'), people, active);
  const power = generatePower(root.fork('power'), enterprises, profile.shellCompanies);
  const subsistence = generateSubsistence(
    root.fork('subsistence'),
    households,
    enterprises,
    insurance,
    profile.welfareAnomalies,
  );
  const shells = new Set(power.shells);
  const tables = buildTables({
    households,
    people,
    enterprises,
    insurance,
    power,
    subsistence: subsistence.households,
    tax: generateTax(root.fork('tax'), enterprises, shells),
    permits: generatePermits(root.fork('permits'), enterprises),
    health: generateHealthInstitutions(root.fork('health'), profile.healthInstitutions),
    schools: generateSchools(root.fork('schools'), profile.schools),
    land: generateLand(root.fork('land'), profile.landParcels, enterprises),
    abnormalRng: root.fork('abnormal'),
  });
  const insuredIds = new Set(insurance.filter((r) => r.status === '参保缴费').map((r) => r.person.idNumber));
  const sample = (p: Person): VerificationSample => ({
    idNumber: p.idNumber,
    name: p.name,
    regionCode: p.district.code,
    insured: insuredIds.has(p.idNumber),
  });
  const working = people.filter((p) => p.age >= 30 && p.age <= 50);
  return {
    profile,
    tables,
    planted: {
      shellCompanies: power.shells.map((e) => e.creditCode).sort(),
      welfareAnomalies: subsistence.anomalies,
      insuredCitizen: sample(working.find((p) => insuredIds.has(p.idNumber))!),
      uninsuredCitizen: sample(working.find((p) => !insuredIds.has(p.idNumber))!),
    },
  };
}
