import type { PersonalInfoKind } from './grades.js';

// Column-name vocabulary: Chinese words (matched anywhere in the name), English words and
// pinyin initials (matched as whole parts of snake_case / camelCase names).
const VOCABULARY: [PersonalInfoKind, string[], string[]][] = [
  [
    'id-number',
    ['身份证', '证件号', '公民身份号码', '身份号码'],
    [
      'sfzh',
      'sfz',
      'sfzhm',
      'zjhm',
      'gmsfhm',
      'idcard',
      'idno',
      'idnumber',
      'idcardno',
      'identity',
      'identityno',
      'citizenid',
      'nationalid',
    ],
  ],
  [
    'credit-code',
    ['信用代码', '统一社会信用', '社会信用'],
    ['tyshxydm', 'xydm', 'uscc', 'creditcode', 'uscid'],
  ],
  [
    'mobile',
    ['手机', '移动电话', '联系电话', '联系方式'],
    [
      'sjhm',
      'sjh',
      'sj',
      'lxdh',
      'lxfs',
      'mobile',
      'cellphone',
      'phone',
      'phoneno',
      'tel',
      'telephone',
      'msisdn',
    ],
  ],
  ['landline', ['固定电话', '座机', '办公电话', '固话'], ['gddh', 'zj', 'bgdh', 'landline']],
  [
    'bank-card',
    ['银行卡', '银行账号', '银行帐号', '卡号', '开户账号'],
    ['yhkh', 'yhzh', 'kh', 'bankcard', 'cardno', 'cardnumber', 'accountno', 'bankaccount', 'iban'],
  ],
  ['email', ['邮箱', '电子邮件', '邮件地址'], ['yx', 'dzyx', 'email', 'mail', 'emailaddress']],
  ['passport', ['护照', '通行证'], ['hzh', 'hzhm', 'passport', 'passportno']],
  ['plate', ['车牌', '号牌号码', '车辆号牌'], ['cph', 'hphm', 'plate', 'plateno', 'licenseplate']],
  ['ipv4', ['ip地址', 'IP地址'], ['ip', 'ipaddr', 'ipaddress', 'clientip', 'srcip', 'remoteip']],
  [
    'name',
    ['姓名', '名字', '联系人', '负责人', '法定代表人', '户主', '申请人'],
    [
      'xm',
      'name',
      'fullname',
      'username',
      'realname',
      'lxr',
      'fzr',
      'fddbr',
      'personname',
      'customername',
      'contact',
    ],
  ],
  [
    'address',
    ['地址', '住址', '住所', '户籍地', '居住地', '家庭住址'],
    ['dz', 'zz', 'jtzz', 'hjdz', 'jzdz', 'address', 'addr', 'street', 'residence'],
  ],
  [
    'birth-date',
    ['出生日期', '出生年月', '生日'],
    ['csrq', 'csny', 'birthday', 'birthdate', 'dob', 'dateofbirth'],
  ],
  ['gender', ['性别'], ['xb', 'gender', 'sex']],
  ['age', ['年龄'], ['nl', 'age']],
  ['ethnicity', ['民族'], ['mz', 'ethnicity', 'nation', 'race']],
  ['marital', ['婚姻', '婚史'], ['hyzk', 'marital', 'maritalstatus']],
  ['religion', ['宗教', '信仰'], ['zjxy', 'religion', 'faith']],
  [
    'health',
    ['健康', '病历', '诊断', '病史', '疾病', '体检', '就诊', '过敏'],
    ['jkzk', 'zd', 'bl', 'health', 'diagnosis', 'disease', 'medical', 'icd', 'allergy'],
  ],
  [
    'biometric',
    ['指纹', '人脸', '虹膜', '声纹', '掌纹', '面部'],
    ['zw', 'rl', 'fingerprint', 'face', 'faceimage', 'iris', 'biometric', 'voiceprint'],
  ],
  [
    'location',
    ['轨迹', '行踪', '定位', '经纬度', '经度', '纬度', '位置'],
    ['gj', 'dw', 'location', 'gps', 'latitude', 'longitude', 'lat', 'lng', 'lon', 'trajectory', 'geo'],
  ],
  [
    'financial',
    ['收入', '存款', '工资', '薪资', '征信', '余额', '交易', '资产', '负债', '贷款'],
    ['sr', 'gz', 'income', 'salary', 'balance', 'deposit', 'creditscore', 'loan', 'asset', 'transaction'],
  ],
  [
    'criminal-record',
    ['犯罪', '违法', '前科', '刑事'],
    ['fzjl', 'criminal', 'conviction', 'offence', 'offense'],
  ],
];

function parts(name: string): string[] {
  const split = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return [...split, split.join('')];
}

/** What a column's name says it holds, with a confidence; null when the name says nothing. */
export function kindFromColumnName(name: string): { kind: PersonalInfoKind; confidence: number } | null {
  const lower = name.toLowerCase();
  const p = parts(name);
  let best: { kind: PersonalInfoKind; confidence: number } | null = null;
  for (const [kind, words, codes] of VOCABULARY) {
    let c = 0;
    for (const w of words)
      if (lower.includes(w.toLowerCase())) c = Math.max(c, 0.6 + 0.05 * Math.min(w.length, 4));
    for (const code of codes) {
      if (p[p.length - 1] === code) c = Math.max(c, 0.85);
      else if (p.includes(code)) c = Math.max(c, code.length >= 3 ? 0.75 : 0.65);
    }
    if (c > (best?.confidence ?? 0)) best = { kind, confidence: c };
  }
  return best;
}
