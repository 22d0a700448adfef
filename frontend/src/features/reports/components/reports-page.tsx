import { Button, Col, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadLedger, type ReportFilters } from '../api/report-queries';
import { SummaryCards, TrendChart, UnitRanking } from './report-sections';

/** Dashboard: KPIs with freshness, unit ranking, trend, ledger export. */
export function ReportsPage() {
  const { t } = useTranslation();
  const notifyError = useErrorNotice();
  const [busy, setBusy] = useState(false);
  const filters: ReportFilters = {};

  const download = async () => {
    setBusy(true);
    try {
      await downloadLedger(filters);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('reports.title')}
        </Typography.Title>
        <Button onClick={() => void download()} loading={busy}>
          {t('reports.ledger')}
        </Button>
      </Space>
      <SummaryCards filters={filters} />
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
