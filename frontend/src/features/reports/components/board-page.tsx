import { useInfiniteQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Summary } from '@/api/generated/openapi';
import { useNow } from '@/shared/lib/relative-time';
import { reportQueries } from '../api/report-queries';
import { useCockpitData } from '../hooks/use-cockpit-data';
import { BOARD_LOOK, NARROW_BOARD_LOOK, statusDonut, trendLines, unitBars } from './cockpit-charts';
import { KPIS, LIGHTS } from './cockpit-page';
import { EChart } from './echart';
import { freshnessText } from './freshness';

// The board renews itself every 15 s: a meeting room never touches it.
const REFRESH_MS = 15_000;
const UNITS_SHOWN = 12;
const OVERDUE_SHOWN = 7;

const BG = '#06142b';
const PANEL = '#0c2245';
const BORDER = '#1d3d6e';
const TEXT = '#e6f4ff';
const MUTED = '#9fb3c8';

// Below this width (a laptop's window, a tablet, a phone) the board stacks its panels in one column.
const NARROW_QUERY = '(max-width: 1099.98px)';

function useNarrow(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = typeof window.matchMedia === 'function' ? window.matchMedia(NARROW_QUERY) : null;
      list?.addEventListener('change', onChange);
      return () => list?.removeEventListener('change', onChange);
    },
    () => (typeof window.matchMedia === 'function' ? window.matchMedia(NARROW_QUERY).matches : false),
  );
}

function Panel({ title, children, style }: { title: string; children: React.ReactNode; style?: React.CSSProperties }) {
  return (
    <section
      aria-label={title}
      style={{ background: PANEL, border: `1px solid ${BORDER}`, borderRadius: 12, padding: '16px 20px', display: 'flex', flexDirection: 'column', minHeight: 0, minWidth: 0, ...style }}
    >
      <h2 style={{ color: TEXT, fontSize: 'clamp(18px, 1.4vw, 26px)', fontWeight: 600, margin: '0 0 8px' }}>{title}</h2>
      <div style={{ flex: 1, minHeight: 0, position: 'relative', overflow: 'hidden' }}>{children}</div>
    </section>
  );
}

function FreshnessLine({ summary }: { summary: Summary | undefined }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  if (!summary) return null;
  return (
    <span data-testid="freshness" style={{ color: summary.lag_events === 0 ? MUTED : '#ffc53d' }}>
      {freshnessText(summary, now, t, i18n.language)}
    </span>
  );
}

function Clock() {
  const now = useNow();
  return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{dayjs(now).format('YYYY-MM-DD HH:mm:ss')}</span>;
}

/**
 * 数据大屏 (`/board`): the cockpit's figures for a meeting room's screen (1920×1080), without the app's header,
 * in type read from across the room, renewed every 15 s; the freshness is a time, never an event number.
 */
export function BoardPage() {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { summary, statuses, lights, units, trend } = useCockpitData(REFRESH_MS);
  const overdue = useInfiniteQuery({ ...reportQueries.overdue({}), refetchInterval: REFRESH_MS, refetchIntervalInBackground: true });
  const s = summary.data;
  const statusItems = statuses.data?.items;
  const unitRows = units.data?.items;
  const trendPoints = trend.data?.items;
  const look = narrow ? NARROW_BOARD_LOOK : BOARD_LOOK;
  const donut = useMemo(() => statusDonut(statusItems ?? [], t, look), [statusItems, t, look]);
  const bars = useMemo(() => unitBars(unitRows ?? [], t, look, UNITS_SHOWN), [unitRows, t, look]);
  const trendOption = useMemo(() => trendLines(trendPoints ?? [], t, look), [trendPoints, t, look]);
  const overdueItems = overdue.data?.pages.at(0)?.items.slice(0, OVERDUE_SHOWN) ?? [];

  useEffect(() => {
    const before = document.title;
    document.title = `${t('board.title')} · ${t('app.name')}`;
    return () => {
      document.title = before;
    };
  }, [t]);

  const l = lights.data;
  const lightTotal = l ? l.red + l.yellow + l.green : 0;

  return (
    <main
      data-testid="board"
      style={{
        position: 'fixed',
        inset: 0,
        background: BG,
        color: TEXT,
        padding: narrow ? 12 : '16px 28px',
        display: 'grid',
        // one screen of 1920×1080 without scrolling; narrower, the panels stack and the page scrolls
        gridTemplateRows: narrow ? 'auto' : 'auto auto minmax(0, 0.85fr) minmax(0, 1.15fr)',
        gridAutoRows: narrow ? 'auto' : undefined,
        gridTemplateColumns: narrow ? 'minmax(0, 1fr)' : 'repeat(3, minmax(0, 1fr))',
        gap: 16,
        overflow: 'auto',
        fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
      }}
    >
      <header style={{ gridColumn: '1 / -1', display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: narrow ? 8 : 24, flexWrap: 'wrap' }}>
        <h1 style={{ color: TEXT, fontSize: narrow ? 26 : 44, fontWeight: 700, margin: 0, letterSpacing: narrow ? 1 : 4 }}>{t('board.title')}</h1>
        <div style={{ display: 'flex', gap: narrow ? 12 : 32, alignItems: 'baseline', fontSize: narrow ? 14 : 24, color: MUTED, flexWrap: 'wrap' }}>
          <FreshnessLine summary={s} />
          <span style={{ color: TEXT, fontSize: narrow ? 16 : 30 }}>
            <Clock />
          </span>
          <Link to="/cockpit" style={{ color: MUTED, fontSize: 18 }}>
            {t('board.exit')}
          </Link>
        </div>
      </header>

      <div style={{ gridColumn: '1 / -1', display: 'grid', gridTemplateColumns: narrow ? 'repeat(2, minmax(0, 1fr))' : 'repeat(6, minmax(0, 1fr))', gap: narrow ? 8 : 16 }}>
        {KPIS.map(({ kpi, label, value, danger }) => (
          <div key={kpi} data-testid={`board-kpi-${kpi}`} style={{ background: PANEL, border: `1px solid ${BORDER}`, borderRadius: 12, padding: '10px 20px' }}>
            <div style={{ color: MUTED, fontSize: narrow ? 14 : 24 }}>{t(label)}</div>
            <div style={{ fontSize: narrow ? 32 : 60, fontWeight: 700, lineHeight: 1.1, color: danger && s && s.overdue > 0 ? '#ff4d4f' : TEXT, fontVariantNumeric: 'tabular-nums' }}>
              {s ? value(s) : '—'}
            </div>
          </div>
        ))}
      </div>

      <Panel title={t('cockpit.lightsTitle')} style={narrow ? { height: 260 } : undefined}>
        {l ? (
          <div style={{ display: 'flex', flexDirection: 'column', height: '100%', justifyContent: 'center', gap: 20 }}>
            <div style={{ display: 'flex', height: 22, borderRadius: 11, overflow: 'hidden', background: BORDER }} aria-hidden>
              {LIGHTS.map(({ light, color }) => (
                <div key={light} style={{ width: lightTotal ? `${(l[light] / lightTotal) * 100}%` : 0, background: color }} />
              ))}
            </div>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 12, textAlign: 'center' }}>
              {LIGHTS.map(({ light, color }) => (
                <div key={light} data-testid={`board-light-${light}`}>
                  <div style={{ fontSize: narrow ? 40 : 72, fontWeight: 700, color: light === 'red' ? '#ff4d4f' : light === 'yellow' ? '#fadb14' : '#73d13d', lineHeight: 1.1 }}>
                    {l[light]}
                  </div>
                  <div style={{ fontSize: narrow ? 14 : 24, color: MUTED }}>
                    <span style={{ display: 'inline-block', width: 16, height: 16, borderRadius: 8, background: color, marginRight: 8 }} />
                    {t(`cockpit.lights.${light}`)}
                  </div>
                </div>
              ))}
            </div>
          </div>
        ) : null}
      </Panel>
      <Panel title={t('cockpit.statusTitle')} style={narrow ? { height: 320 } : undefined}>
        <EChart option={donut} height="100%" label={t('cockpit.statusTitle')} />
      </Panel>
      <Panel title={t('reports.trend')} style={narrow ? { height: 320 } : undefined}>
        <EChart option={trendOption} height="100%" label={t('reports.trend')} />
      </Panel>
      <Panel title={t('board.unitsTitle', { count: Math.min(UNITS_SHOWN, unitRows?.length ?? 0) })} style={narrow ? { height: 520 } : { gridColumn: 'span 2' }}>
        <EChart option={bars} height="100%" label={t('cockpit.unitsTitle')} />
      </Panel>
      <Panel title={t('board.overdueTitle', { count: overdue.data?.pages.at(0)?.total ?? 0 })}>
        <ol style={{ listStyle: 'none', margin: 0, padding: 0, fontSize: narrow ? 15 : 22 }}>
          {overdueItems.map((item) => (
            <li key={item.id} style={{ display: 'flex', gap: 12, justifyContent: 'space-between', padding: '6px 0', borderBottom: `1px solid ${BORDER}` }}>
              <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 }}>
                {item.title}
                <span style={{ color: MUTED, marginLeft: 12, fontSize: 18 }}>{item.lead_unit_name}</span>
              </span>
              <span style={{ color: '#ff4d4f', whiteSpace: 'nowrap', fontWeight: 600 }}>{t('deadlines.overdueDays', { count: item.days_overdue })}</span>
            </li>
          ))}
        </ol>
      </Panel>
    </main>
  );
}
