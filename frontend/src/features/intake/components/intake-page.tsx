import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IntakeItem } from '@/api/types';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { LoadMore } from '@/shared/components/load-more';
import { INTAKE_STATUSES, intakeQueries } from '../api/intake-api';
import { IntakeDecisionModal, type DecisionKind } from './intake-decision-modal';

/** Office triage of public submissions. */
export function IntakePage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('submitted');
  const [decision, setDecision] = useState<{ item: IntakeItem; kind: DecisionKind } | null>(null);
  const query = useInfiniteQuery(intakeQueries.list(status === 'all' ? undefined : status));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<IntakeItem> = [
    // The office sees only the code's last group (the full code is the submitter's secret).
    { title: t('intake.trackingCode'), dataIndex: 'code_hint', width: 120, render: (c: string) => <Typography.Text code>…{c}</Typography.Text> },
    {
      title: t('public.titleField'),
      dataIndex: 'title',
      render: (title: string, row) => (
        <div>
          <Typography.Text strong>{title}</Typography.Text>
          <div style={{ whiteSpace: 'pre-wrap', color: '#666' }}>{row.content}</div>
        </div>
      ),
    },
    { title: t('intake.enterprise'), dataIndex: 'enterprise_name', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('intake.contact'), width: 150, render: (_: unknown, row) => [row.contact_name, row.contact_phone].filter(Boolean).join(' ') || '—' },
    { title: t('intake.submittedAt'), width: 150, render: (_: unknown, row) => formatDateTime(row.submitted_at) },
    {
      title: t('issues.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: string, row) => (
        <Space direction="vertical" size={0}>
          <Tag>{t(`intake.statuses.${s}`, { defaultValue: s })}</Tag>
          {row.issue_id ? <Link to={`/issues/${row.issue_id}`}>{row.issue_id}</Link> : null}
        </Space>
      ),
    },
    {
      title: t('issues.actions'),
      width: 220,
      render: (_: unknown, row) =>
        row.status === 'submitted' ? (
          <Space wrap size={4}>
            <Button size="small" type="primary" onClick={() => setDecision({ item: row, kind: 'accept' })}>
              {t('intake.accept')}
            </Button>
            <Button size="small" onClick={() => setDecision({ item: row, kind: 'merge' })}>
              {t('intake.merge')}
            </Button>
            <Button size="small" danger onClick={() => setDecision({ item: row, kind: 'reject' })}>
              {t('intake.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <div>
      <Typography.Title level={3}>{t('intake.title')}</Typography.Title>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v)}
        options={[
          ...INTAKE_STATUSES.map((s) => ({ value: s, label: t(`intake.statuses.${s}`) })),
          { value: 'all', label: t('common.all') },
        ]}
        style={{ marginBottom: 16 }}
      />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Table<IntakeItem>
            rowKey="id"
            columns={columns}
            dataSource={items}
            loading={query.isPending}
            pagination={false}
            scroll={{ x: 1000 }}
            locale={{ emptyText: t('intake.empty') }}
          />
          <LoadMore query={query} />
        </>
      )}
      <IntakeDecisionModal item={decision?.item ?? null} kind={decision?.kind ?? 'accept'} onClose={() => setDecision(null)} />
    </div>
  );
}
