import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { WebhookOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { adminKeys } from '../api/admin-keys';
import { deleteWebhook, patchWebhook, webhookQueries } from '../api/webhooks-api';
import { webhookEventKey } from '../hooks/admin-access';
import { PageToolbar } from './page-toolbar';
import { WebhookFormModal } from './webhook-form-modal';
import { ResponsiveTable } from '@/shared/components/responsive-table';

/** Pause, resume and delete, each refreshing the list. */
function useWebhookActions() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const common = {
    onSuccess: () => void message.success(t('common.done')),
    onError: useErrorNotice(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.webhooks() }),
  };
  const setActive = useMutation({
    mutationFn: (w: WebhookOut) => patchWebhook(w.id, { active: !w.active }),
    ...common,
  });
  const remove = useMutation({ mutationFn: (w: WebhookOut) => deleteWebhook(w.id), ...common });
  return { setActive, remove };
}

/** Webhook 订阅: signed event pushes to other systems. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ webhook: WebhookOut | null } | null>(null);
  const query = useQuery(webhookQueries.list());
  const { setActive, remove } = useWebhookActions();

  const columns: ColumnsType<WebhookOut> = [
    { title: t('admin.webhooks.url'), dataIndex: 'url', render: (url: string) => <Typography.Text code>{url}</Typography.Text> },
    {
      title: t('admin.webhooks.eventTypes'),
      dataIndex: 'event_types',
      render: (types: string[]) => types.map((e) => <Tag key={e}>{t(webhookEventKey(e), { defaultValue: e })}</Tag>),
    },
    { title: t('admin.webhooks.description'), dataIndex: 'description', render: (d: string) => d || '—' },
    {
      title: t('admin.status'),
      dataIndex: 'active',
      width: 90,
      render: (a: boolean) => (a ? <Tag color="green">{t('admin.webhooks.running')}</Tag> : <Tag color="orange">{t('admin.webhooks.paused')}</Tag>),
    },
    { title: t('admin.createdAt'), dataIndex: 'created_at', width: 150, render: (v: string) => formatDateTime(v) },
    {
      key: 'actions',
      title: t('issues.actions'),
      width: 280,
      render: (_: unknown, row) => (
        <Space wrap size={4}>
          <Button size="small" onClick={() => setEditing({ webhook: row })}>
            {t('common.edit')}
          </Button>
          <Button size="small" loading={setActive.isPending && setActive.variables.id === row.id} onClick={() => setActive.mutate(row)}>
            {row.active ? t('admin.webhooks.pause') : t('admin.webhooks.resume')}
          </Button>
          <Link to={`/admin/deliveries?subscription_id=${encodeURIComponent(row.id)}`}>{t('admin.nav.deliveries')}</Link>
          <Popconfirm
            title={t('admin.webhooks.confirmDelete')}
            description={t('admin.webhooks.deleteHint')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => remove.mutate(row)}
          >
            <Button size="small" danger>
              {t('admin.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <PageToolbar title={t('admin.nav.webhooks')} createLabel={t('admin.webhooks.create')} onCreate={() => setEditing({ webhook: null })} />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <ResponsiveTable<WebhookOut> rowKey="id" card={{ title: 'url', status: ['active'], actions: 'actions' }} columns={columns} dataSource={query.data ?? []} loading={query.isPending} pagination={false} scroll={{ x: 1000 }} />
      )}
      <WebhookFormModal open={editing !== null} webhook={editing?.webhook ?? null} onClose={() => setEditing(null)} />
    </div>
  );
}
