import { EyeOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/index.js';

// 关怀模式 (适老化, GB/T 37668-2019): larger text and higher contrast, chosen in the header and
// remembered in this browser. The theme tokens change (root.tsx); `html.ht-care` adjusts the few
// sizes set in styles.css.
const STORAGE_KEY = 'huitong.care';

interface CareMode {
  care: boolean;
  setCare: (on: boolean) => void;
}

const CareContext = createContext<CareMode>({ care: false, setCare: () => undefined });

/** Holds the care mode, read from and written to localStorage, mirrored as a class on <html>. */
export function CareModeProvider({ children }: { children: ReactNode }) {
  const [care, setCareState] = useState(() => localStorage.getItem(STORAGE_KEY) === 'on');
  useEffect(() => {
    document.documentElement.classList.toggle('ht-care', care);
  }, [care]);
  const setCare = useCallback((on: boolean) => {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    setCareState(on);
  }, []);
  const value = useMemo(() => ({ care, setCare }), [care, setCare]);
  return <CareContext.Provider value={value}>{children}</CareContext.Provider>;
}

/** Whether the care mode is on, and the way to switch it. */
export function useCareMode(): CareMode {
  return useContext(CareContext);
}

/** The header's toggle: a button that says what it does and whether it is on (aria-pressed). */
export function CareModeSwitch({ dark = false }: { dark?: boolean }) {
  const { care, setCare } = useCareMode();
  const { t } = useI18n();
  return (
    <Button
      type={care ? 'primary' : 'text'}
      icon={<EyeOutlined aria-hidden />}
      aria-pressed={care}
      aria-label={t('care.label')}
      title={t('care.hint')}
      onClick={() => setCare(!care)}
      data-testid="care-mode"
      style={dark && !care ? { color: '#fff' } : undefined}
    >
      <span className="ht-tool-label">{t('care.label')}</span>
    </Button>
  );
}
