// Chinese surnames (百家姓, by frequency), for name detection and the 张* / 欧阳** name mask.

const SINGLE =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈' +
  '姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔' +
  '向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕' +
  '单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦' +
  '褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明' +
  '佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅' +
  '屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修' +
  '邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡' +
  '富尧闭由淦钮尹邴郦鄂聶蔚彦竺晏郗糜仇钭厍聂晃勇仉岳帖缑亓';

/** Compound surnames (复姓): the name mask keeps both characters. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '令狐',
  '夏侯',
  '轩辕',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '百里',
  '呼延',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '太叔',
  '申屠',
  '钟离',
  '闻人',
  '万俟',
  '赫连',
  '拓跋',
  '司空',
  '第五',
  '单于',
  '亓官',
  '仲孙',
  '东郭',
  '左丘',
  '梁丘',
  '乐正',
  '谷梁',
  '闾丘',
  '羊舌',
  '微生',
  '公羊',
  '公良',
  '漆雕',
  '巫马',
  '颛孙',
  '壤驷',
  '段干',
  '东门',
  '公西',
  '司寇',
  '鲜于',
  '子车',
  '乌孙',
  '完颜',
  '爱新',
  '叶赫',
  '纳兰',
];

const singleSet = new Set(SINGLE);
const compoundSet = new Set(COMPOUND_SURNAMES);

/** Whether a character is a common single-character Chinese surname. */
export function isSurnameChar(ch: string): boolean {
  return singleSet.has(ch);
}

/** Whether two characters form a compound surname (复姓). */
export function isCompoundSurname(two: string): boolean {
  return compoundSet.has(two);
}

/** Length of the surname at the start of `name`: 2 for a compound surname (when more follows), else 1. */
export function surnameLength(name: string): number {
  return name.length > 2 && compoundSet.has(name.slice(0, 2)) ? 2 : 1;
}

/** Every single-character surname, for building lookup tables. */
export const SINGLE_SURNAMES: string = SINGLE;
