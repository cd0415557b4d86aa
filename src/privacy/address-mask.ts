// The address mask keeps an address's administrative prefix down to the district and nothing
// after it. One regular expression, built here, serves JS and the three SQL dialects; it is
// written so that it can match in only one way (every name class excludes every suffix), so
// Perl-style engines (JS, RE2, PCRE, ICU) and PostgreSQL's longest-match engine agree.

// Suffixes of the units above a district (province, prefecture-level city, 盟) … 州 is not one:
// it ends most city names (福州市, 杭州市), and an autonomous 自治州 is read as part of the next name.
const UNIT = '省市盟';
// … and of a district-level unit (区, 县, 旗; a 县级市 ends in 市 and needs a unit before it).
const DISTRICT = '区县旗';
// Characters of units below a district (街道, 镇, 乡, 村, 路, 号, 室, 小区, 社区, 园区 …): a name
// holding one is not a district's, so an address that skips its district (福清市音西街道万达小区) is
// not kept down to the estate. Real names with them (镇江市, 路南区, 小店区) then give *** alone.
// (楼 is not one: 鼓楼区; a building's 3号楼 has 号 and a digit.)
const BELOW = '街道路巷弄镇乡村号栋幢室层院苑园社组小校厂片';

const name = (min: number, max: number) => `[^${UNIT}${DISTRICT}${BELOW}]{${min},${max}}`;
const unit = `${name(2, 10)}[${UNIT}]`;

/**
 * The prefix an address keeps (capture group 1, anchored at the start): up to two units
 * (省, 市, 盟) and a district (区/县/旗), or one or two units and a 县级市.
 */
export const ADDRESS_PREFIX = `^((?:${unit}){0,2}${name(1, 14)}[${DISTRICT}]|(?:${unit}){1,2}${name(1, 14)}市)`;

/** Characters outside the CJK Unified Ideographs: a kept prefix has none (no digits, spaces, letters). */
export const NOT_HAN = '[^一-鿿]';

/** The run of stars that replaces everything after the kept prefix (or the whole value). */
export const ADDRESS_STARS = '***';

const prefix = new RegExp(ADDRESS_PREFIX, 'u');
const notHan = new RegExp(NOT_HAN, 'u');

/** 福建省福州市鼓楼区五四路88号 → 福建省福州市鼓楼区***; *** when no district-level prefix is found. */
export function maskAddress(v: string): string {
  // No match keeps '' (the stars alone); a kept prefix must be Chinese characters only.
  const kept = prefix.exec(v)?.[1] ?? '';
  return notHan.test(kept) ? ADDRESS_STARS : kept + ADDRESS_STARS;
}
