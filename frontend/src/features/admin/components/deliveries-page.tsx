import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { DeliveryOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { LoadMore } from '@/shared/components/load-more';
import { adminKeys } from '../api/admin-keys';
import { deliveryQueries, retryDelivery, type DeliveryFilters } from '../api/deliveries-api';
import { useEventTypeLabel } from './audit-labels';
import { DeliveryAttempts } from './delivery-attempts';
import { DeliveryStatusTag } from './delivery-status-tag';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from '../api/choices';
import { ResponsiveTable } from '@/shared/components/responsive-table';

type FilterName = keyof DeliveryFilters;

/** Filters live in the URL, so a webhook's "deliveries" link opens the log already filtered. */
function useDeliveryFilters() {
  const [params, setParams] = useSearchParams();
  const filters: DeliveryFilters = {
    channel: params.get('channel') ?? undefined,
    status: params.get('status') ?? undefined,
    subscription_id: params.get('subscription_id') ?? undefined,
  };
  const setFilter = (name: FilterName, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return { filters, setFilter };
}

function useRetry() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: retryDelivery,
    onSuccess: () => void message.success(t('admin.deliveries.retried')),
    onError: useErrorNotice(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.deliveries() }),
  });
}

/** 投递记录: every outbound delivery with its attempts; dead letters can be sent again. */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const eventLabel = useEventTypeLabel();
  const { filters, setFilter } = useDeliveryFilters();
  const query = useInfiniteQuery(deliveryQueries.list(filters));
  const retry = useRetry();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total;

  const columns: ColumnsType<DeliveryOut> = [
    { title: t('admin.createdAt'), dataIndex: 'created_at', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('admin.deliveries.channel'), dataIndex: 'channel', width: 110, render: (c: string) => <Tag>{t(`admin.channels.${c}`, { defaultValue: c })}</Tag> },
    { title: t('admin.deliveries.target'), dataIndex: 'target', ellipsis: true },
    { title: t('admin.deliveries.eventType'), dataIndex: 'event_type', width: 170, render: (type: string) => eventLabel(type) },
    {
      title: t('admin.deliveries.subject'),
      dataIndex: 'subject',
      ellipsis: true,
      // a webhook's subject is its event type, which people read in words
      render: (subject: string, row) => (row.channel === 'webhook' && subject === row.event_type ? eventLabel(subject) : subject),
    },
    { title: t('admin.status'), dataIndex: 'status', width: 90, render: (s: string) => <DeliveryStatusTag status={s} /> },
    { title: t('admin.deliveries.attempts'), dataIndex: 'attempts', width: 80 },
    { title: t('admin.deliveries.lastError'), dataIndex: 'last_error', ellipsis: true, render: (e: string | null) => e ?? '—' },
    {
      key: 'actions',
      title: t('issues.actions'),
      width: 90,
      render: (_: unknown, row) =>
        row.status === 'dead' ? (
          <Button size="small" loading={retry.isPending && retry.variables === row.id} onClick={() => retry.mutate(row.id)}>
            {t('common.retry')}
          </Button>
        ) : null,
    },
  ];

  return (
    <div>
      <Typography.Title level={3}>{t('admin.nav.deliveries')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('admin.deliveries.channel')}
          style={{ width: 160 }}
          value={filters.channel}
          onChange={(v: string | undefined) => setFilter('channel', v)}
          options={DELIVERY_CHANNELS.map((c) => ({ value: c, label: t(`admin.channels.${c}`) }))}
        />
        <Select
          allowClear
          placeholder={t('admin.status')}
          style={{ width: 160 }}
          value={filters.status}
          onChange={(v: string | undefined) => setFilter('status', v)}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`admin.deliveryStatuses.${s}`) }))}
        />
        {filters.subscription_id ? (
          <Tag closable onClose={() => setFilter('subscription_id', undefined)}>
            {t('admin.deliveries.subscription', { id: filters.subscription_id })}
          </Tag>
        ) : null}
        {total !== undefined ? <Typography.Text type="secondary">{t('common.total', { count: total })}</Typography.Text> : null}
      </Space>
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <ResponsiveTable<DeliveryOut>
            rowKey="id" card={{ title: 'subject', status: ['status'], actions: 'actions' }}
            columns={columns}
            dataSource={items}
            loading={query.isPending}
            pagination={false}
            scroll={{ x: 1300 }}
            expandable={{ expandedRowRender: (row) => <DeliveryAttempts attempts={row.attempt_log} /> }}
            locale={{ emptyText: t('admin.deliveries.empty') }}
          />
          <LoadMore query={query} />
        </>
      )}
    </div>
  );
}
