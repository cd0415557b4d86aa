import type { ItemInput, PersonalKind } from '../../catalog/index.js';

type Label = [name: string, dataType: string, length: number | null, kind?: PersonalKind];

// The Chinese name, type and length of every generated column, and its personal-information kind.
const LABELS: Record<string, Label> = {
  id_number: ['公民身份号码', 'string', 18, 'identity_document'],
  name: ['姓名', 'string', 50, 'basic'],
  sex: ['性别', 'string', 2, 'basic'],
  birth_date: ['出生日期', 'date', null, 'basic'],
  age: ['年龄', 'number', 3, 'basic'],
  ethnicity: ['民族', 'string', 20, 'basic'],
  household_id: ['户号', 'string', 12],
  relation: ['与户主关系', 'string', 10, 'basic'],
  region_code: ['行政区划代码', 'string', 6],
  region_name: ['户籍所在地', 'string', 50],
  address: ['住址', 'string', 200, 'location'],
  mobile: ['手机号码', 'string', 11, 'communication'],
  education: ['文化程度', 'string', 20, 'basic'],
  marital_status: ['婚姻状况', 'string', 10, 'basic'],
  head_id_number: ['户主公民身份号码', 'string', 18, 'identity_document'],
  head_name: ['户主姓名', 'string', 50, 'basic'],
  members: ['家庭人口数', 'number', 3],
  household_type: ['户口性质', 'string', 10],
  credit_code: ['统一社会信用代码', 'string', 18],
  enterprise_type: ['企业类型', 'string', 50],
  industry_code: ['行业门类代码', 'string', 1],
  industry_name: ['行业门类', 'string', 50],
  size: ['企业规模', 'string', 10],
  employees: ['从业人数', 'number', 8],
  registered_capital: ['注册资本(万元)', 'number', 12],
  status: ['登记状态', 'string', 10],
  registration_date: ['成立日期', 'date', null],
  end_date: ['吊销/注销日期', 'date', null],
  legal_rep_name: ['法定代表人', 'string', 50, 'basic'],
  legal_rep_id_number: ['法定代表人身份号码', 'string', 18, 'identity_document'],
  phone: ['联系电话', 'string', 20],
  registration_authority: ['登记机关', 'string', 100],
  scheme: ['险种', 'string', 50],
  employer_credit_code: ['参保单位信用代码', 'string', 18],
  employer_name: ['参保单位名称', 'string', 100],
  contribution_base: ['缴费基数(元/月)', 'number', 8, 'property'],
  contribution_band: ['缴费基数区间', 'string', 20],
  start_date: ['参保日期', 'date', null],
  certificate_no: ['低保证编号', 'string', 20],
  applicant_id_number: ['申请人身份号码', 'string', 18, 'identity_document'],
  applicant_name: ['申请人姓名', 'string', 50, 'basic'],
  assistance_type: ['保障类别', 'string', 10],
  standard: ['保障标准(元/人·月)', 'number', 6],
  monthly_allowance: ['月保障金额(元)', 'number', 8, 'property'],
  approval_date: ['批准日期', 'date', null],
  account_no: ['用电户号', 'string', 10],
  customer_name: ['用电户名', 'string', 100],
  month: ['账期(年月)', 'string', 7],
  kwh: ['月用电量(千瓦时)', 'number', 12],
  peak_kwh: ['峰时电量(千瓦时)', 'number', 12],
  valley_kwh: ['谷时电量(千瓦时)', 'number', 12],
  amount_yuan: ['电费金额(元)', 'number', 12],
  voltage_level: ['供电电压等级', 'string', 10],
  city_code: ['设区市代码', 'string', 6],
  city_name: ['设区市', 'string', 20],
  accounts: ['用电户数', 'number', 8],
  taxpayer_name: ['纳税人名称', 'string', 100],
  taxpayer_type: ['纳税人类型', 'string', 20],
  credit_rating: ['纳税信用等级', 'string', 2],
  tax_paid_2024: ['2024年度纳税额(万元)', 'number', 12],
  permit_no: ['许可证编号', 'string', 22],
  enterprise_name: ['单位名称', 'string', 100],
  management_category: ['管理类别', 'string', 10],
  pollutants: ['主要污染物', 'string', 100],
  valid_from: ['有效期起', 'date', null],
  valid_to: ['有效期止', 'date', null],
  institution_type: ['机构类别', 'string', 20],
  level: ['机构等级', 'string', 10],
  ownership: ['经济类型', 'string', 10],
  beds: ['核定床位', 'number', 6],
  staff: ['在岗职工数', 'number', 6],
  licence_valid_to: ['执业许可证有效期至', 'date', null],
  school_code: ['学校标识码', 'string', 10],
  school_type: ['办学类型', 'string', 20],
  students: ['在校生数', 'number', 6],
  teachers: ['专任教师数', 'number', 6],
  founded: ['建校年份', 'number', 4],
  parcel_no: ['宗地编号', 'string', 20],
  location: ['土地坐落', 'string', 200],
  land_use: ['土地用途', 'string', 30],
  area_m2: ['出让面积(平方米)', 'number', 10],
  supply_method: ['供应方式', 'string', 10],
  price_wan: ['成交价(万元)', 'number', 10],
  contract_date: ['合同签订日期', 'date', null],
  holder: ['土地使用权人', 'string', 100],
  code: ['区划代码', 'string', 6],
  parent_code: ['上级区划代码', 'string', 6],
  reason: ['列入原因', 'string', 100],
  listed_date: ['列入日期', 'date', null],
  authority: ['作出决定机关', 'string', 100],
};

/** The items (信息项) of the given columns, with names, types and personal-information kinds. */
export function itemsFor(fields: string): ItemInput[] {
  return fields
    .trim()
    .split(/\s+/)
    .map((spec) => {
      // `status=参保状态` renames an item whose column name is shared by several tables.
      const [field, rename] = spec.split('=') as [string, string | undefined];
      const label = LABELS[field];
      if (!label) throw new Error(`no label for demo column ${field}`);
      const [own, dataType, length, personalKind] = label;
      // A renamed item is another table's column (an enterprise's 名称, not a person's 姓名).
      const kind = rename ? undefined : personalKind;
      const name = rename ?? own;
      return {
        name,
        field,
        dataType,
        length,
        description: '',
        personal: kind !== undefined,
        personalKind: kind ?? null,
      };
    });
}

/** Items of a resource that is catalogued but has no data in the demo. */
export function plainItems(spec: Array<[name: string, dataType: string, kind?: PersonalKind]>): ItemInput[] {
  return spec.map(([name, dataType, kind]) => ({
    name,
    dataType,
    description: '',
    personal: kind !== undefined,
    personalKind: kind ?? null,
  }));
}
