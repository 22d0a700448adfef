import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Popconfirm, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientOut, ClientWithSecret } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { adminKeys } from '../api/admin-keys';
import { clientQueries, rotateClientSecret } from '../api/clients-api';
import { ActiveTag } from './active-tag';
import { ClientFormModal } from './client-form-modal';
import { PageToolbar } from './page-toolbar';
import { SecretOnceModal } from './secret-once-modal';
import { ResponsiveTable } from '@/shared/components/responsive-table';

/** 接入系统: integration clients, their scopes, and secrets shown once on create or rotation. */
export function ClientsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ client: ClientOut | null } | null>(null);
  const [secret, setSecret] = useState<ClientWithSecret | null>(null);
  const query = useQuery(clientQueries.list());
  const rotate = useMutation({
    mutationFn: rotateClientSecret,
    onSuccess: setSecret,
    onError: useErrorNotice(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.clients() }),
  });

  const columns: ColumnsType<ClientOut> = [
    { title: t('admin.clients.id'), dataIndex: 'id', width: 180, render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
    { title: t('admin.clients.name'), dataIndex: 'name' },
    {
      title: t('admin.clients.scopes'),
      dataIndex: 'scopes',
      render: (scopes: string[]) => (scopes.length > 0 ? scopes.map((s) => <Tag key={s}>{s}</Tag>) : '—'),
    },
    { title: t('admin.status'), dataIndex: 'active', width: 80, render: (a: boolean) => <ActiveTag active={a} /> },
    {
      key: 'actions',
      title: t('issues.actions'),
      width: 200,
      render: (_: unknown, row) => (
        <Space size={4}>
          <Button size="small" onClick={() => setEditing({ client: row })}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('admin.clients.confirmRotate')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => rotate.mutate(row.id)}
          >
            <Button size="small" danger>
              {t('admin.clients.rotate')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <PageToolbar title={t('admin.nav.clients')} createLabel={t('admin.clients.create')} onCreate={() => setEditing({ client: null })} />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <ResponsiveTable<ClientOut> rowKey="id" card={{ title: 'name', status: ['active'], actions: 'actions' }} columns={columns} dataSource={query.data ?? []} loading={query.isPending} pagination={false} scroll={{ x: 800 }} />
      )}
      <ClientFormModal
        open={editing !== null}
        client={editing?.client ?? null}
        onClose={() => setEditing(null)}
        onCreated={setSecret}
      />
      <SecretOnceModal client={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
