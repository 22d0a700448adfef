import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Segmented, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IntakeOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { LoadMore } from '@/shared/components/load-more';
import { formatDateTime } from '@/shared/lib/format';
import { INTAKE_TABS, intakeQueries, type IntakeTab } from '../api/intake-api';
import { ContactButton } from './contact-button';
import { IntakeDecisionModal, type DecisionKind } from './intake-decision-modal';
import { ResponsiveTable } from '@/shared/components/responsive-table';

function RowActions({ row, decide }: { row: IntakeOut; decide: (kind: DecisionKind) => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap size={4}>
      {row.status === 'submitted' ? (
        <>
          <Button size="small" type="primary" onClick={() => decide('accept')}>
            {t('intake.accept')}
          </Button>
          <Button size="small" onClick={() => decide('merge')}>
            {t('intake.merge')}
          </Button>
          <Button size="small" danger onClick={() => decide('reject')}>
            {t('intake.reject')}
          </Button>
        </>
      ) : null}
      {row.followup === 'pending' ? (
        <Button size="small" type="primary" onClick={() => decide('followup')}>
          {t('intake.followup')}
        </Button>
      ) : null}
      <Button size="small" onClick={() => decide('reply')}>
        {t('intake.reply')}
      </Button>
    </Space>
  );
}

/** Office triage of public submissions, and the queue 不满意待处理. */
export function IntakePage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<IntakeTab>('submitted');
  const [decision, setDecision] = useState<{ item: IntakeOut; kind: DecisionKind } | null>(null);
  const query = useInfiniteQuery(intakeQueries.list(tab));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<IntakeOut> = [
    // The office sees only the code's last group (the full code is the submitter's secret).
    { title: t('intake.trackingCode'), dataIndex: 'code_hint', width: 100, render: (c: string) => <Typography.Text code>…{c}</Typography.Text> },
    {
      title: t('public.titleField'),
      dataIndex: 'title',
      render: (title: string, row) => (
        <div>
          <Typography.Text strong>{title}</Typography.Text>
          <div style={{ whiteSpace: 'pre-wrap', color: '#666' }}>{row.content}</div>
          {row.appeal_reason ? <div>{t('intake.appeal')}：{row.appeal_reason}</div> : null}
        </div>
      ),
    },
    { title: t('intake.enterprise'), dataIndex: 'enterprise_name', width: 140, render: (v: string | null) => v ?? '—' },
    { key: 'contact', title: t('intake.contact'), width: 150, render: (_: unknown, row) => <ContactButton item={row} /> },
    { key: 'submitted_at', title: t('intake.submittedAt'), width: 150, render: (_: unknown, row) => formatDateTime(row.submitted_at) },
    {
      title: t('issues.status'),
      dataIndex: 'status',
      width: 130,
      render: (s: string, row) => (
        <Space direction="vertical" size={0}>
          <Tag>{t(`intake.statuses.${s}`, { defaultValue: s })}</Tag>
          {row.followup ? <Tag color={row.followup === 'pending' ? 'red' : 'default'}>{t(`intake.followups.${row.followup}`)}</Tag> : null}
          {row.rating ? <Typography.Text type="secondary">{t('intake.rating')} {row.rating}/5</Typography.Text> : null}
          {row.issue_id ? <Link to={`/issues/${row.issue_id}`}>{t('intake.statuses.accepted')} →</Link> : null}
        </Space>
      ),
    },
    { key: 'actions', title: t('issues.actions'), width: 240, render: (_: unknown, row) => <RowActions row={row} decide={(kind) => setDecision({ item: row, kind })} /> },
  ];

  return (
    <div>
      <Typography.Title level={3}>{t('intake.title')}</Typography.Title>
      <Segmented<IntakeTab>
        value={tab}
        onChange={setTab}
        options={INTAKE_TABS.map((s) => ({
          value: s,
          label: s === 'all' ? t('common.all') : s === 'followup' ? t('intake.tabs.followup') : t(`intake.statuses.${s}`),
        }))}
        style={{ marginBottom: 16 }}
      />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <ResponsiveTable<IntakeOut>
            rowKey="id" card={{ title: 'title', status: ['status'], actions: 'actions' }}
            columns={columns}
            dataSource={items}
            loading={query.isPending}
            pagination={false}
            scroll={{ x: 1100 }}
            locale={{ emptyText: t('intake.empty') }}
          />
          <LoadMore query={query} />
        </>
      )}
      <IntakeDecisionModal item={decision?.item ?? null} kind={decision?.kind ?? 'accept'} onClose={() => setDecision(null)} />
    </div>
  );
}
