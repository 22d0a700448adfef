import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Select, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { directoryQueries, useUnits } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { IssueLink } from '@/shared/components/issue-link';
import { LoadMore } from '@/shared/components/load-more';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { formatDate } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { accountabilityQueries, downloadDocument, uploadDocument, type RecordFilters } from '../api/accountability-api';
import { KINDS } from './kinds';
import { RecordForm } from './record-form';

/** 约谈问责: the decisions on record (office and admin record them; leaders read; a unit reads its own). */
export function AccountabilityPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const writes = user?.role === 'office' || user?.role === 'admin';
  const { options: unitOptions } = useUnits();
  const campaigns = useQuery(directoryQueries.campaigns());
  const [filters, setFilters] = useState<RecordFilters>({});
  const [creating, setCreating] = useState(false);
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const attach = async (record: RecordOut, file: File) => {
    try {
      await uploadDocument(record.id, file);
      void message.success(t('accountability.fileUploaded', { name: file.name }));
      await queryClient.invalidateQueries({ queryKey: accountabilityQueries.all() });
    } catch (error) {
      notifyError(error);
    }
  };
  const list = useInfiniteQuery(accountabilityQueries.list(filters));
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const columns = [
    { key: 'decided_on', title: t('accountability.decidedOn'), dataIndex: 'decided_on', width: 120, render: (d: string) => formatDate(d) },
    { key: 'unit', title: t('accountability.unit'), dataIndex: 'unit_name', width: 180 },
    {
      key: 'kind',
      title: t('accountability.kind'),
      width: 120,
      render: (_: unknown, r: RecordOut) => <Tag color={r.kind === '问责' ? 'red' : 'orange'}>{t(`accountability.kinds.${KINDS[r.kind]}`)}</Tag>,
    },
    {
      key: 'issues',
      title: t('accountability.issues'),
      render: (_: unknown, r: RecordOut) =>
        r.issue_ids.length ? (
          <Space size={4} wrap>
            {r.issue_ids.map((id, i) => (
              <IssueLink key={id} id={id} code={r.issue_codes[i] ?? null} title={null} />
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    { key: 'outcome', title: t('accountability.outcome'), dataIndex: 'outcome' },
    { key: 'document', title: t('accountability.document'), dataIndex: 'document', width: 160, render: (d: string | null) => d ?? '—' },
    {
      key: 'file',
      title: t('accountability.file'),
      width: 200,
      render: (_: unknown, r: RecordOut) => (
        <Space size={4} wrap>
          {r.document_file ? (
            <Button size="small" type="link" onClick={() => void downloadDocument(r).catch(notifyError)}>
              {r.document_file.name}
            </Button>
          ) : null}
          {writes ? (
            <Upload
              showUploadList={false}
              beforeUpload={(file) => {
                void attach(r, file);
                return false;
              }}
            >
              <Button size="small">{r.document_file ? t('accountability.replaceFile') : t('accountability.uploadFile')}</Button>
            </Upload>
          ) : null}
          {!r.document_file && !writes ? '—' : null}
        </Space>
      ),
    },
  ];
  if (list.error) return <ErrorResult error={list.error} />;
  return (
    <Card
      title={t('accountability.title')}
      extra={
        writes ? (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="accountability-create">
            {t('accountability.create')}
          </Button>
        ) : null
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        {user?.role === 'unit' ? null : (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('accountability.unit')}
            placeholder={t('accountability.allUnits')}
            options={unitOptions}
            style={{ width: 220 }}
            onChange={(unit_id: string | undefined) => setFilters((f) => ({ ...f, unit_id }))}
          />
        )}
        <Select
          allowClear
          aria-label={t('accountability.campaign')}
          placeholder={t('accountability.allCampaigns')}
          options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          style={{ width: 220 }}
          onChange={(campaign_id: string | undefined) => setFilters((f) => ({ ...f, campaign_id }))}
        />
        <Typography.Text type="secondary">{t('accountability.total', { count: total })}</Typography.Text>
      </Space>
      <ResponsiveTable<RecordOut>
        rowKey="id"
        loading={list.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('accountability.empty') }}
        card={{ title: 'unit', status: ['kind'] }}
      />
      <LoadMore query={list} />
      <RecordForm open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
