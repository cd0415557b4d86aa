import type { ThemeConfig } from 'antd';

const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

// Government-console blue; text colours keep at least 4.5:1 contrast on white (WCAG AA).
// Tags are 12 px text on a pale tint of their colour: Ant Design draws preset tags in shade 7 and
// status tags in the status colour, which on their tints measure 1.8–3.4:1 (有条件共享 in gold
// 2.76:1, 有效 in green 2.21:1). Shade 7 is moved to a shade that reaches 4.5:1 on shade 1, and
// status tags (only tags: buttons and icons keep their colours) take the darker shades too.
// Both spellings: components read `gold-7` (Ant Design 6's CSS variables), older code `gold7`.
const DARKER_SHADE_7 = {
  green7: '#237804',
  'green-7': '#237804',
  gold7: '#874d00',
  'gold-7': '#874d00',
  orange7: '#ad4e00',
  'orange-7': '#ad4e00',
  cyan7: '#006d75',
  'cyan-7': '#006d75',
  volcano7: '#ad2102',
  'volcano-7': '#ad2102',
  lime7: '#3f6600',
  'lime-7': '#3f6600',
  yellow7: '#876800',
  'yellow-7': '#876800',
};
const TAG_STATUS = {
  colorSuccess: '#237804',
  colorWarning: '#874d00',
  colorError: '#a8071a',
  colorInfo: '#1456c8',
};

/** The console's theme: the standard one, or the care mode's (适老化: larger text, higher contrast). */
export function buildTheme(care = false): ThemeConfig {
  const base: ThemeConfig = {
    token: {
      colorPrimary: '#1456c8',
      colorLink: '#1456c8',
      colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
      colorTextDescription: 'rgba(0, 0, 0, 0.65)',
      // Descriptions' labels, placeholders, danger buttons: Ant Design's defaults are 3.4:1,
      // 1.8:1 and 3.3:1 on white; these reach 4.5:1.
      colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
      colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
      colorError: '#cf1322',
      borderRadius: 4,
      fontFamily: FONT,
      ...DARKER_SHADE_7,
    },
    components: {
      Layout: { siderBg: '#0b2a5b', headerBg: '#ffffff', headerPadding: '0 16px' },
      Menu: { darkItemBg: '#0b2a5b', darkSubMenuItemBg: '#082049', darkItemSelectedBg: '#1456c8' },
      Tag: TAG_STATUS,
      // A table's "no data" line is drawn in the disabled colour (1.8:1); it is text to read.
      Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.55)' },
    },
  };
  if (!care) return base;
  // GB/T 37668-2019 and the MIIT's 适老化 rules: body text of at least 16 px (18 px headings up),
  // text and borders near black, taller controls that are easier to hit.
  return {
    token: {
      ...base.token,
      fontSize: 16,
      fontSizeSM: 14,
      fontSizeLG: 18,
      fontSizeHeading1: 32,
      fontSizeHeading2: 26,
      fontSizeHeading3: 22,
      fontSizeHeading4: 19,
      colorPrimary: '#0039a6',
      colorLink: '#0039a6',
      colorText: '#000000',
      colorTextHeading: '#000000',
      colorTextSecondary: 'rgba(0, 0, 0, 0.85)',
      colorTextDescription: 'rgba(0, 0, 0, 0.85)',
      colorTextTertiary: 'rgba(0, 0, 0, 0.8)',
      colorTextPlaceholder: '#595959',
      colorBorder: '#595959',
      colorBorderSecondary: '#8c8c8c',
      colorBgLayout: '#ffffff',
      controlHeight: 40,
      controlHeightSM: 32,
      controlHeightLG: 48,
      lineWidthFocus: 3,
    },
    components: {
      ...base.components,
      Layout: { siderBg: '#001a40', headerBg: '#ffffff', headerPadding: '0 16px', bodyBg: '#ffffff' },
      Menu: {
        darkItemBg: '#001a40',
        darkSubMenuItemBg: '#000f26',
        darkItemSelectedBg: '#0039a6',
        darkItemColor: '#ffffff',
        itemHeight: 48,
      },
    },
  };
}

/** The standard theme. */
export const theme = buildTheme(false);
