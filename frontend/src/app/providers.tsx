import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
// The ES modules: antd/locale/* re-export the CommonJS build, whose default the bundle took for the whole
// module object, so every antd component fell back to English ("Select date", "No data", "Su Mo").
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import type { i18n as I18n } from 'i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { isApiError } from '@/api/problem';
import { useReducedMotion } from '@/shared/lib/use-reduced-motion';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';

/** Retry transient failures only: never 4xx (404 of a route not built yet, 401, 409 …). */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
}

function AntdLocale({ i18n, nonce, children }: { i18n: I18n; nonce?: string | undefined; children: ReactNode }) {
  const [lang, setLang] = useState(i18n.language);
  const reducedMotion = useReducedMotion();
  useEffect(() => {
    const on = (lng: string) => setLang(lng);
    i18n.on('languageChanged', on);
    return () => i18n.off('languageChanged', on);
  }, [i18n]);
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  }, [lang]);
  return (
    <ConfigProvider
      csp={nonce ? { nonce } : undefined}
      locale={lang === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#b71c1c', motion: !reducedMotion } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Everything a page needs around it: i18n, react-query, antd (locale, motion, App for toasts, the CSP nonce). */
export function Providers({
  i18n,
  queryClient,
  nonce,
  children,
}: {
  i18n: I18n;
  queryClient: QueryClient;
  nonce?: string | undefined;
  children: ReactNode;
}) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <AntdLocale i18n={i18n} nonce={nonce}>
          {children}
        </AntdLocale>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
