import type { Rng } from './rng.js';

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范',
];
const COMPOUND = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '慕容'];
const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红鹏飞浩然子轩梓涵一诺欣怡宇航晨曦思远佳琪',
];
const CITIES: [string, string, string[]][] = [
  ['福建省', '福州市', ['鼓楼区', '台江区', '仓山区', '晋安区']],
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区']],
  ['浙江省', '杭州市', ['西湖区', '上城区', '滨江区']],
  ['江苏省', '南京市', ['玄武区', '秦淮区', '鼓楼区']],
  ['四川省', '成都市', ['锦江区', '武侯区', '青羊区']],
  ['湖北省', '武汉市', ['江汉区', '武昌区', '洪山区']],
  ['', '北京市', ['朝阳区', '海淀区', '东城区']],
  ['', '上海市', ['浦东新区', '徐汇区', '静安区']],
];
const ROADS = [
  '五四路',
  '人民路',
  '解放大道',
  '中山北路',
  '建设一路',
  '学院路',
  '滨江大道',
  '工业路',
  '长安街',
  '湖东路',
  '幸福巷',
  '新华街',
];
const COMMUNITIES = ['阳光花园', '金色家园小区', '翠苑小区', '万科城'];

/** A Chinese personal name (surname + one or two given characters). */
export function personName(rng: Rng): string {
  const surname = rng.chance(0.05) ? rng.pick(COMPOUND) : rng.pick(SURNAMES);
  return surname + rng.pick(GIVEN) + (rng.chance(0.6) ? rng.pick(GIVEN) : '');
}

/** A street address: [province] city district road number [building, room]. */
export function address(rng: Rng): string {
  const [prov, city, districts] = rng.pick(CITIES);
  let a = `${rng.chance(0.7) ? prov : ''}${city}${rng.pick(districts)}${rng.pick(ROADS)}${rng.int(1, 999)}号`;
  if (rng.chance(0.4)) a += `${rng.pick(COMMUNITIES)}${rng.int(1, 30)}栋${rng.int(1, 30)}0${rng.int(1, 4)}室`;
  return a;
}
