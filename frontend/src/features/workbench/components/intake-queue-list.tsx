import { useInfiniteQuery } from '@tanstack/react-query';
import { List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IntakeOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { LoadMore } from '@/shared/components/load-more';
import { formatDateTime } from '@/shared/lib/format';
import { workbenchQueries } from '../api/workbench-queries';

/** The complaints waiting to be accepted (待受理诉求); each opens on the intake page, where they are decided. */
export function IntakeQueueList({ emptyText }: { emptyText: string }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(workbenchQueries.intake());
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <List<IntakeOut>
        loading={query.isPending}
        dataSource={items}
        locale={{ emptyText }}
        rowKey="id"
        renderItem={(item) => (
          <List.Item data-testid="queue-item" style={{ paddingInline: 4 }}>
            <div style={{ minWidth: 0, width: '100%' }}>
              <Link to="/intake" style={{ display: 'block', fontSize: 15, fontWeight: 500, overflowWrap: 'anywhere' }}>
                {item.title || item.content.slice(0, 60)}
              </Link>
              <Space size={[8, 4]} wrap style={{ marginTop: 4 }}>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {item.code_hint}
                </Typography.Text>
                {item.enterprise_name ? <Typography.Text style={{ fontSize: 13 }}>{item.enterprise_name}</Typography.Text> : null}
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {t('workbench.submittedAt', { time: formatDateTime(item.submitted_at) })}
                </Typography.Text>
              </Space>
            </div>
          </List.Item>
        )}
      />
      <LoadMore query={query} />
    </>
  );
}
