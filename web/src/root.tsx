import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useMemo } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { ApiError } from './api/client.js';
import { SessionProvider } from './auth/session.js';
import { DemoNotice } from './components/demo-notice.js';
import { I18nProvider, useI18n } from './i18n/index.js';
import { CareModeProvider, useCareMode } from './layout/care-mode.js';
import { AppRoutes } from './routes.js';
import { buildTheme } from './theme.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; only transient failures are retried.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function Localized() {
  const { lang } = useI18n();
  const { care } = useCareMode();
  const theme = useMemo(() => buildTheme(care), [care]);
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={theme}
      // No space put between two Chinese characters of a button (审 批): a screen reader reads the
      // name as written, and a button named 审批 … must show 审批 (axe: label-content-name-mismatch).
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <DemoNotice />
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** Providers: language, care mode, Ant Design locale and theme, data cache, session, router. */
export function Root() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <CareModeProvider>
          <Localized />
        </CareModeProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
