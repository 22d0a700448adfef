import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { AttemptOut } from '@/api/generated/openapi';
import { formatDateTime } from '@/shared/lib/format';

/** The attempt log of one delivery (expanded row). */
export function DeliveryAttempts({ attempts }: { attempts: AttemptOut[] }) {
  const { t } = useTranslation();
  const columns: ColumnsType<AttemptOut> = [
    { title: t('admin.deliveries.attemptedAt'), dataIndex: 'attempted_at', width: 160, render: (v: string) => formatDateTime(v) },
    { title: t('admin.deliveries.result'), dataIndex: 'ok', width: 90, render: (ok: boolean) => (ok ? <Tag color="green">OK</Tag> : <Tag color="red">{t('admin.deliveries.failed')}</Tag>) },
    { title: 'HTTP', dataIndex: 'status_code', width: 80, render: (c: number | null) => c ?? '—' },
    { title: t('admin.deliveries.duration'), dataIndex: 'duration_ms', width: 100, render: (ms: number) => `${ms} ms` },
    { title: t('admin.deliveries.error'), dataIndex: 'error', render: (e: string | null) => e ?? '—' },
  ];
  return (
    <Table<AttemptOut>
      size="small"
      rowKey="attempted_at"
      columns={columns}
      dataSource={attempts}
      pagination={false}
      locale={{ emptyText: t('admin.deliveries.noAttempts') }}
    />
  );
}
