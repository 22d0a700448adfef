import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserOut } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { LoadMore } from '@/shared/components/load-more';
import { adminKeys } from '../api/admin-keys';
import { updateUser, userQueries } from '../api/users-api';
import { ActiveTag } from './active-tag';
import { PageToolbar } from './page-toolbar';
import { ResetPasswordModal } from './reset-password-modal';
import { UserFormModal } from './user-form-modal';
import { ActiveToggle } from './active-toggle';
import { ResponsiveTable } from '@/shared/components/responsive-table';

/** Activate or deactivate a user (If-Match from the row's version). */
function useToggleActive() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: UserOut) => updateUser(user, { active: !user.active }),
    onSuccess: () => void message.success(t('common.done')),
    onError: useErrorNotice(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

/** 用户管理: list, create, edit, (de)activate, reset password. */
export function UsersPage() {
  const { t } = useTranslation();
  const [unitId, setUnitId] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<{ user: UserOut | null } | null>(null);
  const [resetting, setResetting] = useState<UserOut | null>(null);
  const { options: unitOptions, unitName } = useUnits();
  const query = useInfiniteQuery(userQueries.list(unitId));
  const toggle = useToggleActive();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total;

  const columns: ColumnsType<UserOut> = [
    { title: t('admin.users.username'), dataIndex: 'username', width: 140 },
    { title: t('admin.users.displayName'), dataIndex: 'display_name', width: 140 },
    { title: t('admin.users.role'), dataIndex: 'role', width: 140, render: (r: string) => <Tag>{t(`roles.${r}`, { defaultValue: r })}</Tag> },
    { title: t('admin.users.unit'), dataIndex: 'unit_id', render: (id: string | null) => unitName(id) },
    { title: t('admin.users.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
    { title: t('admin.users.email'), dataIndex: 'email', width: 180, render: (v: string | null) => v ?? '—' },
    { title: t('admin.status'), dataIndex: 'active', width: 80, render: (a: boolean) => <ActiveTag active={a} /> },
    {
      key: 'actions',
      title: t('issues.actions'),
      width: 240,
      render: (_: unknown, row) => (
        <Space wrap size={4}>
          <Button size="small" onClick={() => setEditing({ user: row })}>
            {t('common.edit')}
          </Button>
          <ActiveToggle active={row.active} texts="admin.users" onToggle={() => toggle.mutate(row)} />
          <Button size="small" onClick={() => setResetting(row)}>
            {t('admin.users.resetPassword')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <PageToolbar title={t('admin.nav.users')} createLabel={t('admin.users.create')} onCreate={() => setEditing({ user: null })}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('admin.users.filterUnit')}
          style={{ width: 240 }}
          value={unitId}
          onChange={(v: string | undefined) => setUnitId(v)}
          options={unitOptions}
        />
        {total !== undefined ? <Typography.Text type="secondary">{t('common.total', { count: total })}</Typography.Text> : null}
      </PageToolbar>
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <ResponsiveTable<UserOut> rowKey="id" card={{ title: 'display_name', status: ['active'], actions: 'actions' }} columns={columns} dataSource={items} loading={query.isPending} pagination={false} scroll={{ x: 1100 }} />
          <LoadMore query={query} />
        </>
      )}
      <UserFormModal open={editing !== null} user={editing?.user ?? null} onClose={() => setEditing(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}
