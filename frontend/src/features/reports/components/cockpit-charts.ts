import type { TFunction } from 'i18next';
import type { StatusCount, TrendPoint, UnitRow } from '@/api/generated/openapi';
import type { ChartOption } from './echart';

/** The look of the charts: the cockpit's (light, normal type) or the board's (dark, read across a room). */
export interface ChartLook {
  text: string;
  muted: string;
  grid: string;
  font: number;
  bar: string;
  /** how many characters of a unit's name the bars' axis shows */
  nameChars: number;
  /** slices named beside the donut (wide screens), else by the legend below it (a phone) */
  sliceLabels: boolean;
}

export const LIGHT_LOOK: ChartLook = { text: '#1f1f1f', muted: '#595959', grid: '#f0f0f0', font: 12, bar: '#1677ff', nameChars: 12, sliceLabels: true };
export const PHONE_LOOK: ChartLook = { ...LIGHT_LOOK, nameChars: 6, sliceLabels: false };
export const BOARD_LOOK: ChartLook = { text: '#e6f4ff', muted: '#9fb3c8', grid: '#1d3557', font: 20, bar: '#40a9ff', nameChars: 10, sliceLabels: true };
/** The board in a narrow window (a tablet, a phone): its colours in the cockpit's type. */
export const NARROW_BOARD_LOOK: ChartLook = { ...BOARD_LOOK, font: 12, nameChars: 6, sliceLabels: false };

export const STATUS_COLORS: Record<string, string> = {
  registered: '#8c8c8c',
  assigned: '#1677ff',
  returned: '#fa8c16',
  in_progress: '#13c2c2',
  pending_review: '#faad14',
  closed: '#52c41a',
  cancelled: '#bfbfbf',
};

/** 状态分布: a donut of the statuses that have issues, named in the UI language. */
export function statusDonut(items: readonly StatusCount[], t: TFunction, look: ChartLook): ChartOption {
  const shown = items.filter((i) => i.count > 0);
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)', textStyle: { fontSize: look.font } },
    legend: look.sliceLabels
      ? { show: false }
      : { bottom: 0, textStyle: { color: look.muted, fontSize: look.font }, itemWidth: look.font, itemHeight: look.font },
    series: [
      {
        type: 'pie',
        radius: look.sliceLabels ? ['42%', '68%'] : ['40%', '65%'],
        center: ['50%', look.sliceLabels ? '50%' : '42%'],
        label: look.sliceLabels ? { color: look.text, fontSize: look.font, formatter: '{b} {c}' } : { show: false },
        data: shown.map((i) => ({
          name: t(`status.${i.status}`, { defaultValue: i.status }),
          value: i.count,
          itemStyle: { color: STATUS_COLORS[i.status] },
        })),
      },
    ],
  };
}

/** The statuses in the order the donut draws them (a click names its index). */
export function donutStatuses(items: readonly StatusCount[]): string[] {
  return items.filter((i) => i.count > 0).map((i) => i.status);
}

/** 单位排名: closure rate per lead unit, the best at the top; `limit` keeps the first ones. */
export function unitBars(rows: readonly UnitRow[], t: TFunction, look: ChartLook, limit = rows.length): ChartOption {
  const shown = [...rows].sort((a, b) => a.rank - b.rank).slice(0, limit).reverse();
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      textStyle: { fontSize: look.font },
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number }[])[0];
        const row = first ? shown[first.dataIndex] : undefined;
        if (!row) return '';
        return t('cockpit.unitTooltip', {
          unit: row.unit_name,
          rate: row.closure_rate === null ? '—' : `${(row.closure_rate * 100).toFixed(1)}%`,
          closed: row.closed,
          total: row.total - row.cancelled,
          overdue: row.overdue,
        });
      },
    },
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { color: look.muted, fontSize: look.font, formatter: '{value}%' }, splitLine: { lineStyle: { color: look.grid } } },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.unit_name),
      axisLabel: { color: look.text, fontSize: look.font, width: look.font * look.nameChars, overflow: 'truncate', interval: 0 },
    },
    series: [
      {
        type: 'bar',
        name: t('reports.closureRate'),
        data: shown.map((r) => ({
          value: r.closure_rate === null ? 0 : Math.round(r.closure_rate * 1000) / 10,
          itemStyle: { color: look.bar },
        })),
        barMaxWidth: look.font * 1.6,
        label: { show: true, position: 'right', color: look.text, fontSize: look.font, formatter: '{c}%' },
      },
    ],
  };
}

/** The unit ids in the order the bars are drawn (a click names its index). */
export function barUnits(rows: readonly UnitRow[], limit = rows.length): string[] {
  return [...rows].sort((a, b) => a.rank - b.rank).slice(0, limit).reverse().map((r) => r.unit_id);
}

/** A trend period as people read it: 2026-W38 is 第38周 (Week 38), 2026-11 is 2026年11月; anything else as it is. */
export function periodLabel(period: string, t: TFunction): string {
  const week = /^(\d{4})-W(\d{1,2})$/.exec(period);
  if (week) return t('cockpit.week', { year: week[1], week: Number(week[2]) });
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return t('cockpit.month', { year: month[1], month: Number(month[2]) });
  return period;
}

/** 趋势: new and closed per period, and what was still open at its end. */
export function trendLines(points: readonly TrendPoint[], t: TFunction, look: ChartLook): ChartOption {
  const names = [t('reports.newCount'), t('reports.closedCount'), t('reports.openAtEnd')];
  return {
    tooltip: { trigger: 'axis', textStyle: { fontSize: look.font } },
    legend: { top: 0, data: names, textStyle: { color: look.muted, fontSize: look.font } },
    grid: { left: 8, right: 16, bottom: 8, top: look.font * 3, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => periodLabel(p.period, t)), axisLabel: { color: look.muted, fontSize: look.font } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: look.muted, fontSize: look.font }, splitLine: { lineStyle: { color: look.grid } } },
    series: [
      { name: names[0], type: 'bar', data: points.map((p) => p.new), itemStyle: { color: '#1677ff' } },
      { name: names[1], type: 'bar', data: points.map((p) => p.closed), itemStyle: { color: '#52c41a' } },
      { name: names[2], type: 'line', data: points.map((p) => p.open_at_end), itemStyle: { color: '#fa8c16' }, lineStyle: { width: look.font / 6 } },
    ],
  };
}
