import { isoDate } from './dates.js';
import { type Enterprise, STATUS_LABELS } from './enterprises.js';
import { INDUSTRIES, SIZE_LABELS } from './industries.js';
import type { HealthInstitution, School } from './institutions.js';
import type { LandParcel } from './land.js';
import type { Household, Person } from './people.js';
import { CITIES, DISTRICTS, PROVINCE } from './places.js';
import type { PowerReading } from './power.js';
import type { Random } from './random.js';
import { contributionBand, type InsuranceRecord } from './social-insurance.js';
import type { SubsistenceHousehold } from './subsistence.js';
import { columns, type DemoTable } from './table.js';
import type { DischargePermit, TaxRecord } from './tax-permits.js';

/** Everything generated, before it is laid out as tables. */
export interface Generated {
  households: Household[];
  people: Person[];
  enterprises: Enterprise[];
  insurance: InsuranceRecord[];
  power: { readings: PowerReading[]; accounts: Map<Enterprise, string> };
  subsistence: SubsistenceHousehold[];
  tax: TaxRecord[];
  permits: DischargePermit[];
  health: HealthInstitution[];
  schools: School[];
  land: LandParcel[];
  abnormalRng: Random;
}

const SEX = { male: '男', female: '女' } as const;

/** Lays the generated province out as the tables its departments' systems hold. */
export function buildTables(g: Generated): DemoTable[] {
  return [
    {
      name: 'population',
      title: '户籍人口基本信息',
      columns: columns(
        'id_number name sex birth_date:date age:integer ethnicity household_id relation region_code region_name address mobile education marital_status',
      ),
      rows: g.people.map((p) => [
        p.idNumber,
        p.name,
        SEX[p.sex],
        p.birthDate,
        p.age,
        p.ethnicity,
        p.householdId,
        p.relation,
        p.district.code,
        `${PROVINCE.name}${p.district.cityName}${p.district.name}`,
        p.address,
        p.mobile,
        p.education,
        p.maritalStatus,
      ]),
    },
    {
      name: 'households',
      title: '户籍家庭户信息',
      columns: columns(
        'household_id head_id_number head_name region_code address members:integer household_type',
      ),
      rows: g.households.map((h) => [
        h.householdId,
        h.members[0]!.idNumber,
        h.members[0]!.name,
        h.district.code,
        h.address,
        h.members.length,
        h.rural ? '农村' : '城镇',
      ]),
    },
    {
      name: 'enterprises',
      title: '市场主体登记信息',
      columns: columns(
        'credit_code name enterprise_type industry_code industry_name size employees:integer registered_capital:number status registration_date:date end_date:date legal_rep_name legal_rep_id_number region_code address phone registration_authority',
      ),
      rows: g.enterprises.map((e) => [
        e.creditCode,
        e.name,
        e.type,
        e.industry.code,
        e.industry.name,
        SIZE_LABELS[e.size],
        e.employees,
        e.capital,
        STATUS_LABELS[e.status],
        e.registrationDate,
        e.endDate,
        e.legalRep.name,
        e.legalRep.idNumber,
        e.district.code,
        e.address,
        e.phone,
        e.authority,
      ]),
    },
    {
      name: 'social_insurance',
      title: '社会保险参保信息',
      columns: columns(
        'id_number name scheme status employer_credit_code employer_name contribution_base:integer contribution_band start_date:date region_code',
      ),
      rows: g.insurance.map((r) => [
        r.person.idNumber,
        r.person.name,
        r.scheme,
        r.status,
        r.employer?.creditCode ?? null,
        r.employer?.name ?? null,
        r.base,
        contributionBand(r.base),
        r.startDate,
        r.person.district.code,
      ]),
    },
    {
      name: 'subsistence_households',
      title: '最低生活保障家庭信息',
      columns: columns(
        'certificate_no household_id applicant_id_number applicant_name region_code assistance_type members:integer standard:integer monthly_allowance:integer approval_date:date status',
      ),
      rows: g.subsistence.map((s) => [
        s.certificate,
        s.household.householdId,
        s.household.members[0]!.idNumber,
        s.household.members[0]!.name,
        s.household.district.code,
        s.type,
        s.household.members.length,
        s.standard,
        s.allowance,
        s.approvalDate,
        '在保',
      ]),
    },
    {
      name: 'subsistence_members',
      title: '最低生活保障家庭成员信息',
      columns: columns('certificate_no id_number name relation age:integer'),
      rows: g.subsistence.flatMap((s) =>
        s.household.members.map((m) => [s.certificate, m.idNumber, m.name, m.relation, m.age]),
      ),
    },
    powerTable(g),
    powerByIndustry(g),
    {
      name: 'tax_records',
      title: '企业纳税信息',
      columns: columns(
        'credit_code taxpayer_name taxpayer_type credit_rating tax_paid_2024:number region_code',
      ),
      rows: g.tax.map((t) => [
        t.enterprise.creditCode,
        t.enterprise.name,
        t.taxpayerType,
        t.rating,
        t.taxPaid,
        t.enterprise.district.code,
      ]),
    },
    {
      name: 'discharge_permits',
      title: '排污许可证信息',
      columns: columns(
        'permit_no credit_code enterprise_name industry_name management_category pollutants valid_from:date valid_to:date region_code address',
      ),
      rows: g.permits.map((p) => [
        p.permitNo,
        p.enterprise.creditCode,
        p.enterprise.name,
        p.enterprise.industry.name,
        p.category,
        p.pollutants,
        p.validFrom,
        p.validTo,
        p.enterprise.district.code,
        p.enterprise.address,
      ]),
    },
    {
      name: 'health_institutions',
      title: '医疗机构执业登记信息',
      columns: columns(
        'credit_code name institution_type level ownership beds:integer staff:integer region_code address phone licence_valid_to:date',
      ),
      rows: g.health.map((h) => [
        h.creditCode,
        h.name,
        h.type,
        h.level,
        h.ownership,
        h.beds,
        h.staff,
        h.district.code,
        h.address,
        h.phone,
        h.licenceValidTo,
      ]),
    },
    {
      name: 'schools',
      title: '学校基本信息',
      columns: columns(
        'school_code name school_type ownership students:integer teachers:integer region_code address founded:integer',
      ),
      rows: g.schools.map((s) => [
        s.code,
        s.name,
        s.type,
        s.ownership,
        s.students,
        s.teachers,
        s.district.code,
        s.address,
        s.founded,
      ]),
    },
    {
      name: 'land_supply',
      title: '国有建设用地供应信息',
      columns: columns(
        'parcel_no region_code location land_use area_m2:integer supply_method price_wan:integer contract_date:date holder',
      ),
      rows: g.land.map((l) => [
        l.parcelNo,
        l.district.code,
        l.location,
        l.use,
        l.area,
        l.method,
        l.price,
        l.contractDate,
        l.holder,
      ]),
    },
    {
      name: 'divisions',
      title: '福建省行政区划代码',
      columns: columns('code name level parent_code'),
      rows: [
        [PROVINCE.code, PROVINCE.name, '省', null],
        ...CITIES.map((c) => [c.code, c.name, '地级市', PROVINCE.code]),
        ...DISTRICTS.map((d) => [
          d.code,
          d.name,
          d.name.endsWith('区') ? '市辖区' : d.name.endsWith('县') ? '县' : '县级市',
          d.cityCode,
        ]),
      ],
    },
    abnormal(g),
  ];
}

function powerTable(g: Generated): DemoTable {
  return {
    name: 'power_readings',
    title: '企业月度用电信息',
    columns: columns(
      'account_no credit_code customer_name industry_code month kwh:integer peak_kwh:integer valley_kwh:integer amount_yuan:number voltage_level region_code',
    ),
    rows: g.power.readings.map((r) => [
      r.accountNo,
      r.enterprise.creditCode,
      r.enterprise.name,
      r.enterprise.industry.code,
      r.month,
      r.kwh,
      r.peakKwh,
      r.valleyKwh,
      r.amount,
      r.voltage,
      r.enterprise.district.code,
    ]),
  };
}

function powerByIndustry(g: Generated): DemoTable {
  const totals = new Map<string, { accounts: number; kwh: number }>();
  for (const r of g.power.readings) {
    const key = `${r.month}|${r.enterprise.district.cityCode}|${r.enterprise.industry.code}`;
    const t = totals.get(key) ?? { accounts: 0, kwh: 0 };
    t.accounts++;
    t.kwh += r.kwh;
    totals.set(key, t);
  }
  const cityName = new Map(CITIES.map((c) => [c.code, c.name]));
  const industryName = new Map(INDUSTRIES.map((i) => [i.code, i.name]));
  return {
    name: 'power_by_industry',
    title: '分行业月度用电量统计',
    columns: columns('month city_code city_name industry_code industry_name accounts:integer kwh:integer'),
    rows: [...totals.keys()].sort().map((key) => {
      const [month, city, industry] = key.split('|') as [string, string, string];
      const t = totals.get(key)!;
      return [month, city, cityName.get(city)!, industry, industryName.get(industry)!, t.accounts, t.kwh];
    }),
  };
}

function abnormal(g: Generated): DemoTable {
  const rng = g.abnormalRng;
  const reasons = [
    '未依照规定的期限公示年度报告',
    '通过登记的住所或者经营场所无法联系',
    '公示企业信息隐瞒真实情况、弄虚作假',
  ];
  const listed = g.enterprises.filter((e) => e.status === 'active' && rng.chance(0.03));
  return {
    name: 'abnormal_operations',
    title: '经营异常名录',
    columns: columns('credit_code name reason listed_date:date authority'),
    rows: listed.map((e) => [
      e.creditCode,
      e.name,
      rng.weighted(reasons, [70, 25, 5]),
      isoDate(2025, rng.int(1, 11), rng.int(1, 28)),
      e.authority,
    ]),
  };
}
