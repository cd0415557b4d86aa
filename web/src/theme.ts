import type { ThemeConfig } from 'antd';

// Government-console blue; text colours keep at least 4.5:1 contrast on white (WCAG AA).
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1456c8',
    colorLink: '#1456c8',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    borderRadius: 4,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
  },
  components: {
    Layout: { siderBg: '#0b2a5b', headerBg: '#ffffff', headerPadding: '0 16px' },
    Menu: { darkItemBg: '#0b2a5b', darkSubMenuItemBg: '#082049', darkItemSelectedBg: '#1456c8' },
  },
};
