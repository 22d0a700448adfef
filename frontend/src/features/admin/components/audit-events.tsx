import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, InputNumber, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { FeedEvent } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { LoadMore } from '@/shared/components/load-more';
import { formatDateTime } from '@/shared/lib/format';
import { auditQueries } from '../api/audit-api';
import { AuditEventDrawer } from './audit-event-drawer';
import { AuditActor, useEventTypeLabel } from './audit-labels';
import { ResponsiveTable } from '@/shared/components/responsive-table';

const HASH_CHARS = 12;

/** `?from=` in the URL: the first sequence number to list (a positive integer, else none). */
function useFromSeq(): [number | undefined, (seq: number | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('from'));
  const fromSeq = Number.isInteger(raw) && raw > 0 ? raw : undefined;
  const setFromSeq = (seq: number | undefined) => {
    const next = new URLSearchParams(params);
    if (seq) next.set('from', String(seq));
    else next.delete('from');
    setParams(next, { replace: true });
  };
  return [fromSeq, setFromSeq];
}

function FromSeqInput({ value, onApply }: { value: number | undefined; onApply: (seq: number | undefined) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<number | null>(value ?? null);
  useEffect(() => setDraft(value ?? null), [value]);
  const apply = () => onApply(draft ?? undefined);
  return (
    <Space>
      <label htmlFor="audit-from-seq">{t('admin.audit.fromSeq')}</label>
      <Space.Compact>
        <InputNumber<number>
          id="audit-from-seq"
          min={1}
          precision={0}
          value={draft}
          onChange={setDraft}
          onPressEnter={apply}
          style={{ width: 140 }}
        />
        <Button onClick={apply}>{t('admin.audit.go')}</Button>
      </Space.Compact>
    </Space>
  );
}

/** The audit log (admin only: the feed answers 403 to others), ascending by seq, "load more" with `after=next`. */
export function AuditEvents() {
  const { t } = useTranslation();
  const typeLabel = useEventTypeLabel();
  const [fromSeq, setFromSeq] = useFromSeq();
  const [selected, setSelected] = useState<FeedEvent | null>(null);
  const query = useInfiniteQuery(auditQueries.events(fromSeq));
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const head = query.data?.pages.at(-1)?.head;

  const columns: ColumnsType<FeedEvent> = [
    {
      title: t('admin.audit.seq'),
      dataIndex: 'seq',
      width: 90,
      render: (seq: number, row) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setSelected(row)}>
          #{seq}
        </Button>
      ),
    },
    { title: t('admin.audit.occurredAt'), dataIndex: 'occurred_at', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('admin.audit.type'), dataIndex: 'type', width: 160, render: (type: string) => <span title={type}>{typeLabel(type)}</span> },
    { title: t('admin.audit.actor'), key: 'actor', width: 200, render: (_: unknown, row) => <AuditActor actor={row.actor} /> },
    { title: t('admin.audit.subject'), dataIndex: 'subject_id', ellipsis: true },
    {
      title: t('admin.audit.hash'),
      dataIndex: 'hash',
      width: 140,
      render: (hash: string) => <Typography.Text code>{hash.slice(0, HASH_CHARS)}</Typography.Text>,
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>{t('admin.audit.eventsTitle')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <FromSeqInput value={fromSeq} onApply={setFromSeq} />
        {head !== undefined ? <Typography.Text type="secondary">{t('admin.audit.head', { seq: head })}</Typography.Text> : null}
      </Space>
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <ResponsiveTable<FeedEvent>
            rowKey="seq" card={{ title: 'type', hide: ['hash'] }}
            columns={columns}
            dataSource={events}
            loading={query.isPending}
            pagination={false}
            scroll={{ x: 1000 }}
            onRow={(row) => ({ onClick: () => setSelected(row), style: { cursor: 'pointer' } })}
            locale={{ emptyText: t('admin.audit.empty') }}
          />
          <LoadMore query={query} />
        </>
      )}
      <AuditEventDrawer event={selected} onClose={() => setSelected(null)} />
    </div>
  );
}
