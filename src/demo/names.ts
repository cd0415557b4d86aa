import type { Random } from './random.js';

// Surnames with rough shares per mille in Fujian (陈、林、黄 lead there, unlike the national
// ranking), then the national top 100 and a few compound surnames (欧阳, 司马, 上官, 诸葛).
const SURNAME_TABLE =
  '陈110 林95 黄60 张40 吴38 李36 王34 刘30 郑30 杨22 许20 蔡18 曾16 洪14 邱13 廖13 赖12 ' +
  '周12 徐12 苏12 叶12 庄10 吕9 江9 何9 罗9 高9 肖8 潘8 朱8 钟8 彭7 游7 詹7 胡7 施7 沈6 ' +
  '余6 卢6 梁6 赵6 颜5 柯5 翁5 魏5 孙5 戴5 方5 宋5 范4 邓4 杜4 傅4 侯4 曹4 薛4 丁4 卓4 ' +
  '阮4 马4 董3 温3 唐3 蓝3 石3 蒋3 古3 纪3 姚3 连3 冯3 程3 汤3 谢8 郭8 邹3 田3 袁3 任2 ' +
  '熊2 金2 韩2 陆2 孔2 崔2 邵2 秦2 雷2 毛2 严2 白2 龚2 康2 尤2 姜2 易2 涂2 欧阳2 司马1 ' +
  '上官1 诸葛1 东方1';

const SURNAMES: Array<[string, number]> = SURNAME_TABLE.split(' ').map((entry) => {
  const m = /^(\D+)(\d+)$/.exec(entry)!;
  return [m[1]!, Number(m[2])];
});
const SURNAME_NAMES = SURNAMES.map(([s]) => s);
const SURNAME_WEIGHTS = SURNAMES.map(([, w]) => w);

// Common characters of given names, by sex, and a shared set; the older generation's
// characters (建、国、秀、英) differ from the young's (子、涵、宇、欣).
const MALE = '伟强磊军勇杰涛明超斌辉鹏华平刚志建国峰健波宇浩然俊文博晨阳翔鑫昊天泽瑞鸿煜铭凯晖彬锋毅诚';
const FEMALE = '芳娜敏静丽艳娟秀英霞燕玲婷雪琳慧颖倩洁萍红梅兰凤佳欣怡涵萱琪悦彤诗雨晴婉嘉妍瑶蓉妮';
const SHARED = '子一思梓嘉雅晓文明春海清玉家永金荣立新德福丹宁华美';
const OLD = '建国秀英金德福荣玉春海永';

/** Sex as recorded in the population register. */
export type Sex = 'male' | 'female';

/** A surname drawn from the province's surname frequencies. */
export function surname(rng: Random): string {
  return rng.weighted(SURNAME_NAMES, SURNAME_WEIGHTS);
}

/** A given name of one or two characters fitting the person's sex and birth year. */
export function givenName(rng: Random, sex: Sex, birthYear: number): string {
  const own = sex === 'male' ? MALE : FEMALE;
  const pool = birthYear < 1970 ? own + OLD + OLD : own + SHARED;
  const first = rng.pick([...pool]);
  if (rng.chance(birthYear < 1985 ? 0.35 : 0.15)) return first;
  let second = rng.pick([...own]);
  while (second === first) second = rng.pick([...own]);
  return first + second;
}

/** A full Chinese name: surname then given name. */
export function personName(rng: Random, sex: Sex, birthYear: number, family?: string): string {
  return (family ?? surname(rng)) + givenName(rng, sex, birthYear);
}
