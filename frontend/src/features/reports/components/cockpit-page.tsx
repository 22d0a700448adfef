import { Button, Card, Col, Row, Space, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { Lights, Summary } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatRate } from '@/shared/lib/format';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { useCockpitData } from '../hooks/use-cockpit-data';
import { kpiHref, lightHref, statusHref, unitHref, type Kpi, type LightName } from '../lib/cockpit-links';
import { barUnits, donutStatuses, LIGHT_LOOK, PHONE_LOOK, statusDonut, trendLines, unitBars } from './cockpit-charts';
import { EChart } from './echart';
import { Freshness } from './freshness';

const REFRESH_MS = 60_000;

export const KPIS: readonly { kpi: Kpi; label: string; value: (s: Summary) => string | number; danger?: boolean }[] = [
  { kpi: 'total', label: 'cockpit.kpi.total', value: (s) => s.total },
  { kpi: 'open', label: 'cockpit.kpi.open', value: (s) => s.open },
  { kpi: 'closed', label: 'cockpit.kpi.closed', value: (s) => s.closed },
  { kpi: 'overdue', label: 'cockpit.kpi.overdue', value: (s) => s.overdue, danger: true },
  { kpi: 'closureRate', label: 'cockpit.kpi.closureRate', value: (s) => formatRate(s.closure_rate) },
  { kpi: 'onTimeRate', label: 'cockpit.kpi.onTimeRate', value: (s) => formatRate(s.on_time_rate) },
];

export const LIGHTS: readonly { light: LightName; color: string; background: string }[] = [
  { light: 'red', color: '#cf1322', background: '#fff1f0' },
  { light: 'yellow', color: '#d48806', background: '#fffbe6' },
  { light: 'green', color: '#389e0d', background: '#f6ffed' },
];

function LightsSplit({ lights }: { lights: Lights }) {
  const { t } = useTranslation();
  const total = lights.red + lights.yellow + lights.green;
  return (
    <>
      <div style={{ display: 'flex', height: 12, borderRadius: 6, overflow: 'hidden', background: '#f0f0f0', marginBottom: 12 }} aria-hidden>
        {LIGHTS.map(({ light, color }) => (
          <div key={light} style={{ width: total ? `${(lights[light] / total) * 100}%` : 0, background: color }} />
        ))}
      </div>
      <Row gutter={8}>
        {LIGHTS.map(({ light, color, background }) => (
          <Col span={8} key={light}>
            <Link to={lightHref(light, lights)} data-testid={`light-${light}`} aria-label={t(`cockpit.lights.${light}`)}>
              <div style={{ background, borderRadius: 8, padding: '8px 4px', textAlign: 'center' }}>
                <div style={{ color, fontSize: 28, fontWeight: 600, lineHeight: 1.2 }}>{lights[light]}</div>
                <div style={{ color: '#595959', fontSize: 13 }}>{t(`cockpit.lights.${light}`)}</div>
              </div>
            </Link>
          </Col>
        ))}
      </Row>
      {lights.no_deadline > 0 ? (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 13 }}>
          {t('cockpit.noDeadline', { count: lights.no_deadline })}
        </Typography.Text>
      ) : null}
    </>
  );
}

/** 领导驾驶舱: the headline figures (each opens the ledger it counts), the lights, statuses, units and trend. */
export function CockpitPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const phone = useIsPhone();
  const { summary, statuses, lights, units, trend } = useCockpitData(REFRESH_MS);
  const s = summary.data;
  const statusItems = statuses.data?.items;
  const unitRows = units.data?.items;
  const trendPoints = trend.data?.items;
  const look = phone ? PHONE_LOOK : LIGHT_LOOK;
  const donut = useMemo(() => statusDonut(statusItems ?? [], t, look), [statusItems, t, look]);
  const bars = useMemo(() => unitBars(unitRows ?? [], t, look), [unitRows, t, look]);
  const trendOption = useMemo(() => trendLines(trendPoints ?? [], t, look), [trendPoints, t, look]);

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('cockpit.title')}
        </Typography.Title>
        <Link to="/board" target="_blank" rel="noopener">
          <Button>{t('cockpit.openBoard')}</Button>
        </Link>
      </Space>
      <div style={{ marginTop: 12 }}>{s ? <Freshness value={s} compact /> : null}</div>
      {summary.isError ? <ErrorResult error={summary.error} compact onRetry={() => void summary.refetch()} /> : null}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {KPIS.map(({ kpi, label, value, danger }) => {
          const shown = s ? value(s) : '—';
          return (
            <Col key={kpi} xs={12} sm={8} lg={4}>
              <Link to={kpiHref(kpi)} data-testid={`kpi-${kpi}`}>
                <Card size="small" hoverable loading={summary.isPending} style={{ height: '100%' }}>
                  <Statistic
                    title={t(label)}
                    value={shown}
                    valueStyle={{ fontSize: phone ? 24 : 30, fontWeight: 600, color: danger && s && s.overdue > 0 ? '#cf1322' : undefined }}
                  />
                </Card>
              </Link>
            </Col>
          );
        })}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('cockpit.lightsTitle')} style={{ height: '100%' }} loading={lights.isPending}>
            {lights.isError ? <ErrorResult error={lights.error} compact /> : lights.data ? <LightsSplit lights={lights.data} /> : null}
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 13 }}>
              {t('cockpit.lightsHint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('cockpit.statusTitle')} style={{ height: '100%' }}>
            {statuses.isError ? (
              <ErrorResult error={statuses.error} compact />
            ) : (
              <EChart
                option={donut}
                height={260}
                label={t('cockpit.statusTitle')}
                onClick={({ dataIndex }) => {
                  const status = donutStatuses(statusItems ?? [])[dataIndex];
                  if (status) void navigate(statusHref(status));
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('reports.trend')} style={{ height: '100%' }}>
            {trend.isError ? <ErrorResult error={trend.error} compact /> : <EChart option={trendOption} height={260} label={t('reports.trend')} />}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('cockpit.unitsTitle')} extra={<Link to="/reports">{t('cockpit.allReports')}</Link>}>
            {units.isError ? (
              <ErrorResult error={units.error} compact />
            ) : (
              <EChart
                option={bars}
                height={Math.max(200, (unitRows?.length ?? 0) * 30 + 24)}
                label={t('cockpit.unitsTitle')}
                onClick={({ dataIndex }) => {
                  const unit = barUnits(unitRows ?? [])[dataIndex];
                  if (unit) void navigate(unitHref(unit));
                }}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
