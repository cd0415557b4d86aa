import { dateBetween } from './dates.js';
import { creditCode, landline } from './identifiers.js';
import { businessAddress, type District, district, roadName } from './places.js';
import type { Random } from './random.js';

/** A medical institution in the practice register (医疗机构执业登记). */
export interface HealthInstitution {
  creditCode: string;
  name: string;
  type: string;
  level: string;
  ownership: string;
  beds: number;
  staff: number;
  district: District;
  address: string;
  phone: string;
  licenceValidTo: string;
}

const HEALTH_TYPES = [
  '诊所',
  '社区卫生服务中心',
  '乡镇卫生院',
  '综合医院',
  '中医医院',
  '专科医院',
  '妇幼保健院',
];
const HEALTH_WEIGHTS = [40, 14, 14, 16, 6, 6, 4];
const SPECIALTIES = ['口腔', '眼科', '骨科', '儿童', '肿瘤', '康复', '精神卫生'];

/** Generates medical institutions: many clinics and community centres, fewer hospitals. */
export function generateHealthInstitutions(rng: Random, count: number): HealthInstitution[] {
  const names = new Set<string>();
  const out: HealthInstitution[] = [];
  while (out.length < count) {
    const d = district(rng);
    const type = rng.weighted(HEALTH_TYPES, HEALTH_WEIGHTS);
    const place = d.name;
    const name = {
      诊所: () =>
        `${d.cityName}${place}${roadName(rng).slice(0, 2)}${rng.pick(['内科', '口腔', '中医', '综合', '全科'])}诊所`,
      社区卫生服务中心: () => `${d.cityName}${place}${roadName(rng).slice(0, 2)}街道社区卫生服务中心`,
      乡镇卫生院: () => `${place}${roadName(rng).slice(0, 2)}镇卫生院`,
      综合医院: () =>
        rng.chance(0.5) ? `${place}人民医院` : `${d.cityName}第${'一二三四五六七八九'[rng.int(0, 8)]}医院`,
      中医医院: () => `${place}中医院`,
      专科医院: () => `${d.cityName}${rng.pick(SPECIALTIES)}医院`,
      妇幼保健院: () => `${place}妇幼保健院`,
    }[type]!();
    if (names.has(name)) continue;
    names.add(name);
    const hospital = type.endsWith('医院') || type === '妇幼保健院';
    const publicOwned = type !== '诊所' && (type !== '专科医院' || rng.chance(0.4));
    const beds =
      type === '诊所'
        ? 0
        : hospital
          ? rng.int(
              type === '妇幼保健院' ? 40 : 80,
              type === '综合医院' ? 2_500 : type === '妇幼保健院' ? 400 : 800,
            )
          : rng.int(10, 60);
    out.push({
      creditCode: creditCode(rng, publicOwned ? '12' : '91', d.code),
      name,
      type,
      level: hospital
        ? beds > 1_000
          ? '三级甲等'
          : beds > 500
            ? rng.pick(['三级乙等', '二级甲等'])
            : rng.pick(['二级甲等', '二级乙等', '一级'])
        : type === '诊所'
          ? '未定级'
          : '一级',
      ownership: publicOwned ? '公立' : '民营',
      beds,
      staff: type === '诊所' ? rng.int(2, 12) : Math.round(beds * (1.2 + rng.next())) + rng.int(20, 60),
      district: d,
      address: businessAddress(rng, d),
      phone: landline(rng, d.cityCode),
      licenceValidTo: dateBetween(rng, 2026, 2030),
    });
  }
  return out;
}

/** A school in the education register (学校基本信息). */
export interface School {
  code: string;
  name: string;
  type: string;
  ownership: string;
  students: number;
  teachers: number;
  district: District;
  address: string;
  founded: number;
}

const SCHOOL_TYPES = ['幼儿园', '小学', '初级中学', '完全中学', '中等职业学校'];
const SCHOOL_WEIGHTS = [42, 35, 12, 7, 4];

/** Generates schools with enrolments fitting their type and ownership. */
export function generateSchools(rng: Random, count: number): School[] {
  const names = new Set<string>();
  const out: School[] = [];
  while (out.length < count) {
    const d = district(rng);
    const type = rng.weighted(SCHOOL_TYPES, SCHOOL_WEIGHTS);
    const ordinal = `第${'一二三四五六七八九十'[rng.int(0, 9)]}`;
    const name = {
      幼儿园: () =>
        rng.chance(0.4)
          ? `${d.name}${roadName(rng).slice(0, 2)}幼儿园`
          : `${d.name}${rng.pick(['实验', '机关', '育才', '启明', '阳光'])}幼儿园`,
      小学: () =>
        rng.chance(0.5)
          ? `${d.name}${roadName(rng).slice(0, 2)}小学`
          : `${d.name}${rng.pick(['实验', ordinal, '中心', '育英'])}小学`,
      初级中学: () => `${d.name}${ordinal}中学`,
      完全中学: () => `${d.cityName}${ordinal}中学`,
      中等职业学校: () => `${d.cityName}${rng.pick(['工业', '商业', '旅游', '机电', '农业'])}职业中专学校`,
    }[type]!();
    if (names.has(name)) continue;
    names.add(name);
    const publicOwned = rng.chance(type === '幼儿园' ? 0.55 : 0.9);
    const students =
      type === '幼儿园' ? rng.int(60, 480) : type === '小学' ? rng.int(150, 3_200) : rng.int(400, 3_800);
    out.push({
      code: `21${d.code.slice(0, 4)}${String(out.length + 1).padStart(4, '0')}`,
      name,
      type,
      ownership: publicOwned ? '公办' : '民办',
      students,
      teachers: Math.round(students / (type === '幼儿园' ? 12 : type === '小学' ? 17 : 13)),
      district: d,
      address: businessAddress(rng, d),
      founded: rng.int(1905, 2022),
    });
  }
  return out;
}
