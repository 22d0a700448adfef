import type { EChartsCoreOption } from 'echarts/core';

/**
 * The option a chart is drawn with: without its entry animation when the user asked the system for less motion
 * (WCAG 2.3.3), as antd's own animations already go (app/providers.tsx).
 */
export function withMotion<T extends EChartsCoreOption>(option: T, reducedMotion: boolean): T {
  return reducedMotion ? { ...option, animation: false } : option;
}
