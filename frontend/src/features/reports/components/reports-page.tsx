import { Button, Col, Row, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '@/features/auth';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadLedger, reportLang, type ReportFilters } from '../api/report-queries';
import { MEETING_READERS } from '../hooks/meeting-access';
import { useReportFilters } from '../hooks/use-report-filters';
import { AccountabilitySection } from './accountability-section';
import { CategorySection } from './category-section';
import { OverdueSection } from './overdue-section';
import { PhaseProgress } from './phase-progress';
import { ReportFilterBar } from './report-filter-bar';
import { SummaryCards, TrendChart, UnitRanking } from './report-sections';

const TABS = ['overview', 'categories', 'overdue', 'accountability'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return (TABS as readonly (string | null)[]).includes(value);
}

function Overview({ filters }: { filters: ReportFilters }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <SummaryCards filters={filters} />
      <PhaseProgress filters={filters} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <TrendChart filters={filters} />
        </Col>
        <Col xs={24} xl={12}>
          <UnitRanking filters={filters} />
        </Col>
      </Row>
    </Space>
  );
}

const SECTIONS: Record<Tab, (props: { filters: ReportFilters }) => React.JSX.Element> = {
  overview: Overview,
  categories: CategorySection,
  overdue: OverdueSection,
  accountability: AccountabilitySection,
};

/** Dashboard: shared filters (in the URL), then KPIs, ranking and trend, categories, overdue and accountability lists. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const notifyError = useErrorNotice();
  const [busy, setBusy] = useState(false);
  const [filters, setFilters] = useReportFilters();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = isTab(requested) ? requested : 'overview';
  const Section = SECTIONS[tab];

  const selectTab = (key: string) => {
    const next = new URLSearchParams(params);
    if (key === 'overview') next.delete('tab');
    else next.set('tab', key);
    setParams(next, { replace: true });
  };

  const download = async () => {
    setBusy(true);
    try {
      await downloadLedger(filters, reportLang(i18n.language));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('reports.title')}
        </Typography.Title>
        <Space wrap>
          {user && MEETING_READERS.includes(user.role) ? <Link to="/reports/meetings">{t('reports.meetings.title')}</Link> : null}
          <Button onClick={() => void download()} loading={busy}>
            {t('reports.ledger')}
          </Button>
        </Space>
      </Space>
      <ReportFilterBar value={filters} onChange={setFilters} showUnit={user?.role !== 'unit'} />
      <Tabs activeKey={tab} onChange={selectTab} items={TABS.map((key) => ({ key, label: t(`reports.tabs.${key}`) }))} />
      <Section filters={filters} />
    </Space>
  );
}
