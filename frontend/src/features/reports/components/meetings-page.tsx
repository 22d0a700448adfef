import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Modal, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { MeetingOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { directoryQueries } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime, formatRate } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadMeeting, reportLang, reportQueries, type MeetingFormat } from '../api/report-queries';
import { MEETING_WRITERS } from '../hooks/meeting-access';
import { MeetingForm } from './meeting-form';
import { PhaseTable } from './phase-progress';
import { ResponsiveTable } from '@/shared/components/responsive-table';

function figure(meeting: MeetingOut, key: string): number | null {
  const value = meeting.figures[key];
  return typeof value === 'number' ? value : null;
}

/** A figure with its change since the previous meeting (rates in percentage points). */
function FigureCell({ meeting, name, rate = false }: { meeting: MeetingOut; name: string; rate?: boolean }) {
  const value = figure(meeting, name);
  const change = meeting.changes?.[name];
  const shown = rate ? formatRate(value) : (value ?? '—');
  if (change === undefined || change === null || change === 0) return <>{shown}</>;
  const delta = rate ? `${(change * 100).toFixed(1)}pt` : String(change);
  return (
    <>
      {shown}{' '}
      <Typography.Text type="secondary">
        ({change > 0 ? '+' : ''}
        {delta})
      </Typography.Text>
    </>
  );
}

function DownloadButtons({ meeting }: { meeting: MeetingOut }) {
  const { t, i18n } = useTranslation();
  const notifyError = useErrorNotice();
  const [busy, setBusy] = useState<MeetingFormat | null>(null);
  const download = async (format: MeetingFormat) => {
    setBusy(format);
    try {
      await downloadMeeting(meeting, format, reportLang(i18n.language));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size="small">
      <Button size="small" loading={busy === 'docx'} onClick={() => void download('docx')}>
        {t('reports.meetings.word')}
      </Button>
      <Button size="small" loading={busy === 'xlsx'} onClick={() => void download('xlsx')}>
        {t('reports.meetings.excel')}
      </Button>
    </Space>
  );
}

/** 分阶段进度 as the snapshot froze it (the table the Word and Excel files have), in a dialog; none before phases. */
function PhasesButton({ meeting }: { meeting: MeetingOut }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!meeting.phases?.length) return <>—</>;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t('reports.meetings.phases')}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        footer={null}
        width={720}
        title={t('reports.meetings.phasesTitle', { period: meeting.period })}
      >
        <PhaseTable rows={meeting.phases} testId="meeting-phase-progress" />
      </Modal>
    </>
  );
}

/** 例会材料: the immutable snapshots, a form to freeze a new one, Word and Excel downloads. */
export function MeetingsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const campaignId = params.get('campaign_id') ?? undefined;
  const campaigns = useQuery(directoryQueries.campaigns());
  const query = useQuery(reportQueries.meetings(campaignId));
  const campaignName = (id: string) => campaigns.data?.find((c) => c.id === id)?.name ?? id;
  const canCreate = user !== undefined && MEETING_WRITERS.includes(user.role);

  const columns: ColumnsType<MeetingOut> = [
    { title: t('reports.meetings.period'), dataIndex: 'period', width: 100 },
    { title: t('reports.filters.campaign'), dataIndex: 'campaign_id', render: campaignName },
    { title: t('reports.meetings.createdAt'), dataIndex: 'created_at', render: formatDateTime, width: 150 },
    { title: t('reports.meetings.createdBy'), dataIndex: 'created_by', render: (v: string | null) => v ?? '—' },
    { title: t('reports.total'), key: 'total', render: (_: unknown, m) => <FigureCell meeting={m} name="total" /> },
    { title: t('reports.closed'), key: 'closed', render: (_: unknown, m) => <FigureCell meeting={m} name="closed" /> },
    { title: t('reports.overdue'), key: 'overdue', render: (_: unknown, m) => <FigureCell meeting={m} name="overdue" /> },
    { title: t('reports.closureRate'), key: 'closure_rate', render: (_: unknown, m) => <FigureCell meeting={m} name="closure_rate" rate /> },
    { title: t('reports.onTimeRate'), key: 'on_time_rate', render: (_: unknown, m) => <FigureCell meeting={m} name="on_time_rate" rate /> },
    { title: t('reports.phases.title'), key: 'phases', render: (_: unknown, m) => <PhasesButton meeting={m} />, width: 130 },
    { title: t('reports.meetings.files'), key: 'files', render: (_: unknown, m) => <DownloadButtons meeting={m} />, width: 170 },
  ];

  const setCampaign = (id?: string) => {
    const next = new URLSearchParams(params);
    if (id) next.set('campaign_id', id);
    else next.delete('campaign_id');
    setParams(next, { replace: true });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('reports.meetings.title')}
        </Typography.Title>
        <Link to="/reports">{t('reports.meetings.backToReports')}</Link>
      </Space>
      {canCreate ? (
        <Card size="small" title={t('reports.meetings.create')}>
          <MeetingForm />
        </Card>
      ) : (
        <Alert type="info" showIcon message={t('reports.meetings.readOnly')} />
      )}
      <Card
        size="small"
        title={t('reports.meetings.list')}
        extra={
          <Select
            allowClear
            aria-label={t('reports.filters.campaign')}
            placeholder={t('reports.filters.campaign')}
            value={campaignId}
            onChange={setCampaign}
            options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            style={{ width: 220 }}
          />
        }
      >
        {query.isError ? (
          <ErrorResult error={query.error} compact onRetry={() => void query.refetch()} />
        ) : (
          <ResponsiveTable<MeetingOut> rowKey="id" card={{ title: 'period', actions: 'files' }} size="small" columns={columns} dataSource={query.data ?? []} loading={query.isPending} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 1130 }} />
        )}
      </Card>
    </Space>
  );
}
