import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useReducedMotion } from '@/shared/lib/use-reduced-motion';
import { withMotion } from '../lib/chart-motion';

echarts.use([LineChart, BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** What a click on a bar or a slice tells: its category name, its series and data index. */
export interface ChartClick {
  name: string;
  dataIndex: number;
  seriesIndex: number;
}

interface Props {
  option: ChartOption;
  height?: number | string;
  label: string;
  /** a click on a bar or slice (the cockpit opens the ledger it counts) */
  onClick?: ((click: ChartClick) => void) | undefined;
}

/**
 * A small echarts wrapper: one chart instance per element, resized with its container, drawn without animation for
 * a user who asked for less motion.
 */
export function EChart({ option, height = 320, label, onClick }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  const reducedMotion = useReducedMotion();
  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el);
    chart.current = instance;
    instance.on('click', (params) => {
      const p = params as { name?: string; dataIndex?: number; seriesIndex?: number };
      clickRef.current?.({ name: p.name ?? '', dataIndex: p.dataIndex ?? 0, seriesIndex: p.seriesIndex ?? 0 });
    });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(withMotion(option, reducedMotion), true);
  }, [option, reducedMotion]);

  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height, cursor: onClick ? 'pointer' : undefined }} />;
}
