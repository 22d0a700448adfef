import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { createQueryClient, Providers } from '@/app/providers';
import { createI18n } from '@/i18n';
import { TestStyles } from './antd-styles';

/**
 * Render with the real providers (zh-CN, react-query without retries) at a route; antd's CSS cut to the rules
 * that hide or disable something (test/antd-styles.tsx).
 */
export function renderAt(route: string, ui: ReactElement, path?: string) {
  const i18n = createI18n('zh-CN');
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: 0 }, mutations: { retry: false } });
  const utils = render(
    <TestStyles>
      <Providers i18n={i18n} queryClient={queryClient}>
        <MemoryRouter initialEntries={[route]}>
          {path ? (
            <Routes>
              <Route path={path} element={ui} />
            </Routes>
          ) : (
            ui
          )}
        </MemoryRouter>
      </Providers>
    </TestStyles>,
  );
  return { ...utils, i18n, queryClient };
}
