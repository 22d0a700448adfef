import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnitOut } from '@/api/generated/openapi';
import { directoryQueries } from '@/features/directory';
import { ErrorResult } from '@/shared/components/error-result';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { LoadMore } from '@/shared/components/load-more';
import { adminKeys } from '../api/admin-keys';
import { unitQueries, updateUnit } from '../api/units-api';
import { ActiveTag } from './active-tag';
import { PageToolbar } from './page-toolbar';
import { UnitFormModal } from './unit-form-modal';
import { ActiveToggle } from './active-toggle';
import { ResponsiveTable } from '@/shared/components/responsive-table';

function useToggleUnit() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (unit: UnitOut) => updateUnit(unit, { active: !unit.active }),
    onSuccess: () => void message.success(t('common.done')),
    onError: useErrorNotice(),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.units() });
      await queryClient.invalidateQueries({ queryKey: directoryQueries.all() });
    },
  });
}

/** 单位管理: list, create, edit, (de)activate. */
export function UnitsPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ unit: UnitOut | null } | null>(null);
  const query = useInfiniteQuery(unitQueries.list());
  const toggle = useToggleUnit();
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const nameOf = useMemo(() => new Map(items.map((u) => [u.id, u.name])), [items]);

  const columns: ColumnsType<UnitOut> = [
    { title: t('admin.units.code'), dataIndex: 'code', width: 160 },
    { title: t('admin.units.name'), dataIndex: 'name' },
    { title: t('admin.units.kind'), dataIndex: 'kind', width: 120, render: (k: string) => t(`admin.unitKinds.${k}`, { defaultValue: k }) },
    { title: t('admin.units.parent'), dataIndex: 'parent_id', render: (id: string | null) => (id ? (nameOf.get(id) ?? id) : '—') },
    { title: t('admin.status'), dataIndex: 'active', width: 80, render: (a: boolean) => <ActiveTag active={a} /> },
    {
      key: 'actions',
      title: t('issues.actions'),
      width: 170,
      render: (_: unknown, row) => (
        <Space size={4}>
          <Button size="small" onClick={() => setEditing({ unit: row })}>
            {t('common.edit')}
          </Button>
          <ActiveToggle active={row.active} texts="admin.units" onToggle={() => toggle.mutate(row)} />
        </Space>
      ),
    },
  ];

  return (
    <div>
      <PageToolbar title={t('admin.nav.units')} createLabel={t('admin.units.create')} onCreate={() => setEditing({ unit: null })} />
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <ResponsiveTable<UnitOut> rowKey="id" card={{ title: 'name', status: ['active'], actions: 'actions' }} columns={columns} dataSource={items} loading={query.isPending} pagination={false} scroll={{ x: 900 }} />
          <LoadMore query={query} />
        </>
      )}
      <UnitFormModal open={editing !== null} unit={editing?.unit ?? null} units={items} onClose={() => setEditing(null)} />
    </div>
  );
}
