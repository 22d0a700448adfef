import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, vi } from 'vitest';
import { clearToken } from '@/api/token';

// a loaded 2-core machine renders antd slowly: give findBy/waitFor room
configure({ asyncUtilTimeout: 8000 });

// antd reads these browser APIs that jsdom lacks
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  }),
});
// jsdom has no canvas, so no chart draws: a chart is a button named by its label that reports a click on its first
// bar or slice. Mocked here, once for every file: the files share one module cache (vite.config.ts), so a mock in
// one file was ignored wherever another file had loaded the real chart first.
vi.mock('@/features/reports/components/echart', () => ({
  EChart: ({ label, onClick }: { label: string; onClick?: (c: { name: string; dataIndex: number; seriesIndex: number }) => void }) =>
    createElement('button', { type: 'button', 'aria-label': label, onClick: () => onClick?.({ name: '', dataIndex: 0, seriesIndex: 0 }) }),
}));

// Drops the pseudo-element: rc-util's getScrollBarSize (antd's Modal and Drawer) asks for '::-webkit-scrollbar', which
// jsdom does not implement and reports as "Not implemented: ... getComputedStyle() ... with pseudo-elements" on every
// dialog. jsdom answers with the element's own style either way; the wrapper costs nothing measurable.
window.getComputedStyle = ((orig) => (elt: Element) => orig(elt))(window.getComputedStyle.bind(window));

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  clearToken();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
