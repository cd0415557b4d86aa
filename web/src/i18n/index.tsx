import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setApiLanguage } from '../api/client.js';
import { admin } from './admin.js';
import { audit } from './audit.js';
import { catalogReview } from './catalog-review.js';
import { common } from './common.js';
import { consumer } from './consumer.js';
import { dashboard } from './dashboard.js';
import { demands } from './demands.js';
import { federation } from './federation.js';
import { governance } from './governance.js';
import { objections } from './objections.js';
import { operations } from './operations.js';
import { portal } from './portal.js';
import { provider } from './provider.js';
import { quality } from './quality.js';
import { release } from './release.js';
import { review } from './review.js';
import { shell } from './shell.js';
import { sql } from './sql.js';
import { statistics } from './statistics.js';
import { subscriptions } from './subscriptions.js';
import { tracing } from './tracing.js';
import { types } from './types.js';
import { warning } from './warning.js';
import { workbench } from './workbench.js';

const zh = {
  ...common.zh,
  ...shell.zh,
  ...admin.zh,
  ...portal.zh,
  ...workbench.zh,
  ...provider.zh,
  ...dashboard.zh,
  ...consumer.zh,
  ...sql.zh,
  ...statistics.zh,
  ...review.zh,
  ...release.zh,
  ...catalogReview.zh,
  ...audit.zh,
  ...operations.zh,
  ...governance.zh,
  ...quality.zh,
  ...objections.zh,
  ...demands.zh,
  ...types.zh,
  ...warning.zh,
  ...tracing.zh,
  ...subscriptions.zh,
  ...federation.zh,
};
const en: Record<keyof typeof zh, string> = {
  ...common.en,
  ...shell.en,
  ...admin.en,
  ...portal.en,
  ...workbench.en,
  ...provider.en,
  ...dashboard.en,
  ...consumer.en,
  ...sql.en,
  ...statistics.en,
  ...review.en,
  ...release.en,
  ...catalogReview.en,
  ...audit.en,
  ...operations.en,
  ...governance.en,
  ...quality.en,
  ...objections.en,
  ...demands.en,
  ...types.en,
  ...warning.en,
  ...tracing.en,
  ...subscriptions.en,
  ...federation.en,
};

/** Every message key of the UI. */
export type MessageKey = keyof typeof zh;
export type Lang = 'zh-CN' | 'en';
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };
const STORAGE_KEY = 'huitong.lang';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** Language state: zh-CN by default, remembered in localStorage, mirrored to <html lang> and the API. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const first = initialLang();
    setApiLanguage(first);
    document.documentElement.lang = first;
    return first;
  });
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setApiLanguage(next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const t = useCallback<Translate>(
    (key, vars) => {
      const text = DICTIONARIES[lang][key] ?? key;
      if (!vars) return text;
      return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
    },
    [lang],
  );
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and its translate function. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
