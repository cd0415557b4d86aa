import { ageOn, dateInYear } from './dates.js';
import { mobileNumber, residentId } from './identifiers.js';
import { personName, type Sex, surname } from './names.js';
import { type District, district, homeAddress } from './places.js';
import { REFERENCE_DATE } from './profiles.js';
import type { Random } from './random.js';

/** A registered resident (户籍人口). */
export interface Person {
  idNumber: string;
  name: string;
  sex: Sex;
  birthDate: string;
  age: number;
  ethnicity: string;
  district: District;
  address: string;
  householdId: string;
  relation: string;
  mobile: string | null;
  education: string;
  maritalStatus: string;
}

/** A registered household (户): its number, place and members. */
export interface Household {
  householdId: string;
  district: District;
  address: string;
  rural: boolean;
  members: Person[];
}

const ETHNICITIES = ['汉族', '畲族', '回族', '满族', '壮族', '苗族', '土家族', '高山族'];
const ETHNICITY_WEIGHTS = [975, 10, 3, 2, 3, 3, 3, 1];

function education(rng: Random, age: number): string {
  if (age < 6) return '学龄前';
  if (age < 12) return '小学在读';
  if (age < 15) return '初中在读';
  if (age < 18) return rng.chance(0.85) ? '高中在读' : '初中';
  const birthYear = 2025 - age;
  const young = birthYear >= 1985;
  const levels = ['小学', '初中', '高中/中专', '大专', '本科', '研究生'];
  const weights = young
    ? [3, 20, 24, 22, 26, 5]
    : birthYear >= 1965
      ? [15, 38, 25, 11, 10, 1]
      : [40, 35, 17, 5, 3, 0];
  return rng.weighted(levels, weights);
}

/** Generates households until `count` residents exist; deterministic for the generator's state. */
export function generatePeople(rng: Random, count: number): Household[] {
  const households: Household[] = [];
  const sequences = new Map<string, number>();
  const maskedIds = new Set<string>();
  const householdSeq = new Map<string, number>();
  let total = 0;

  const person = (h: Household, sex: Sex, age: number, relation: string, family?: string): Person => {
    const birthDate = dateInYear(rng, 2025 - age);
    const key = `${h.district.code}${birthDate}`;
    let seq = sequences.get(key) ?? rng.int(0, 200);
    let idNumber = residentId(h.district.code, birthDate, seq, sex === 'male');
    // The masked form (first six, last four) is kept unique too, so that joins on masked ID
    // numbers (the 低保 cross-check) are exact; a real platform would join on a keyed hash.
    while (maskedIds.has(idNumber.slice(0, 6) + idNumber.slice(14))) {
      seq = (seq + 1) % 500;
      idNumber = residentId(h.district.code, birthDate, seq, sex === 'male');
    }
    maskedIds.add(idNumber.slice(0, 6) + idNumber.slice(14));
    sequences.set(key, seq + 1);
    const p: Person = {
      idNumber,
      name: personName(rng, sex, 2025 - age, family),
      sex,
      birthDate,
      age: ageOn(birthDate, REFERENCE_DATE),
      ethnicity: rng.weighted(ETHNICITIES, ETHNICITY_WEIGHTS),
      district: h.district,
      address: h.address,
      householdId: h.householdId,
      relation,
      mobile: age >= 16 && rng.chance(0.96) ? mobileNumber(rng) : null,
      education: education(rng, age),
      maritalStatus: 'unknown',
    };
    h.members.push(p);
    return p;
  };

  while (total < count) {
    const d = district(rng);
    const n = (householdSeq.get(d.code) ?? 0) + 1;
    householdSeq.set(d.code, n);
    const rural = rng.chance(d.name.endsWith('县') ? 0.7 : d.name.endsWith('市') ? 0.4 : 0.15);
    const h: Household = {
      householdId: `${d.code}${String(n).padStart(6, '0')}`,
      district: d,
      address: homeAddress(rng, d),
      rural,
      members: [],
    };
    const kind = rng.weighted(['single', 'couple', 'family', 'three'], [20, 20, 45, 15]);
    const headSex: Sex = rng.chance(kind === 'single' ? 0.5 : 0.82) ? 'male' : 'female';
    const headAge =
      kind === 'single' ? rng.int(20, 88) : kind === 'three' ? rng.int(30, 55) : rng.int(24, 80);
    const family = surname(rng);
    const head = person(h, headSex, headAge, '户主', headSex === 'male' ? family : undefined);
    if (kind !== 'single') {
      const spouseSex: Sex = headSex === 'male' ? 'female' : 'male';
      const spouseAge = Math.max(20, headAge + rng.int(-5, 4));
      person(h, spouseSex, spouseAge, '配偶', spouseSex === 'male' ? family : undefined);
    }
    const father = h.members.find((m) => m.sex === 'male');
    if (kind === 'family' || kind === 'three') {
      const children = rng.weighted([1, 2, 3], [50, 40, 10]);
      for (let i = 0; i < children; i++) {
        const age = Math.max(0, Math.min(headAge - 20, headAge - rng.int(22, 36)));
        const sex: Sex = rng.chance(0.52) ? 'male' : 'female';
        person(
          h,
          sex,
          age,
          sex === 'male' ? '子' : '女',
          father ? father.name.slice(0, nameSurnameLength(father)) : undefined,
        );
      }
    }
    if (kind === 'three') {
      const age = Math.min(98, headAge + rng.int(24, 32));
      const sex: Sex = rng.chance(0.45) ? 'male' : 'female';
      person(
        h,
        sex,
        age,
        sex === 'male' ? '父亲' : '母亲',
        sex === 'male' ? head.name.slice(0, nameSurnameLength(head)) : undefined,
      );
    }
    for (const m of h.members) m.maritalStatus = maritalStatus(rng, m, kind);
    const room = count - total;
    if (h.members.length > room) h.members.length = room;
    total += h.members.length;
    households.push(h);
  }
  return households;
}

const COMPOUND = ['欧阳', '司马', '上官', '诸葛', '东方'];

function nameSurnameLength(p: Person): number {
  return COMPOUND.some((c) => p.name.startsWith(c)) ? 2 : 1;
}

function maritalStatus(rng: Random, p: Person, kind: string): string {
  if (p.age < 20) return '未婚';
  if (p.relation === '户主' || p.relation === '配偶') {
    if (kind !== 'single') return '已婚';
    return p.age < 30
      ? '未婚'
      : rng.weighted(['未婚', '离婚', '丧偶'], p.age > 65 ? [10, 20, 70] : [45, 45, 10]);
  }
  if (p.relation === '父亲' || p.relation === '母亲') return rng.chance(0.6) ? '丧偶' : '已婚';
  return p.age < 28 ? '未婚' : rng.chance(0.5) ? '已婚' : '未婚';
}
