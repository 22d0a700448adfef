import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, List, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Notification } from '@/api/types';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { LoadMore } from '@/shared/components/load-more';
import { markRead, notificationQueries } from '../api/notification-queries';

const LEVEL_COLORS = ['blue', 'orange', 'gold', 'red', 'magenta'];

function NotificationItem({ item, onRead, busy }: { item: Notification; onRead: (id: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const level = item.level ?? null;
  return (
    <List.Item
      actions={[
        item.issue_id ? (
          <Link key="open" to={`/issues/${item.issue_id}`}>
            {t('notifications.openIssue')}
          </Link>
        ) : null,
        item.read_at ? (
          <Typography.Text key="read" type="secondary">
            {t('notifications.read')}
          </Typography.Text>
        ) : (
          <Button key="mark" size="small" loading={busy} onClick={() => onRead(item.id)}>
            {t('notifications.markRead')}
          </Button>
        ),
      ]}
    >
      <List.Item.Meta
        title={
          <Space>
            {item.read_at ? null : <Tag color="red">{t('notifications.unread')}</Tag>}
            {level !== null ? (
              <Tag color={LEVEL_COLORS[level] ?? 'default'}>
                {t(`notifications.levels.${level}`, { defaultValue: String(level) })}
              </Tag>
            ) : null}
            <span>{item.title}</span>
          </Space>
        }
        description={
          <div>
            {item.body ? <div style={{ whiteSpace: 'pre-wrap' }}>{item.body}</div> : null}
            <Typography.Text type="secondary">{formatDateTime(item.created_at)}</Typography.Text>
          </div>
        }
      />
    </List.Item>
  );
}

export function NotificationsPage() {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const queryClient = useQueryClient();
  const notifyError = useErrorNotice();
  const query = useInfiniteQuery(notificationQueries.list(unreadOnly));
  const mutation = useMutation({
    mutationFn: markRead,
    onError: notifyError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationQueries.all() }),
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3}>{t('notifications.title')}</Typography.Title>
        <Space>
          <span>{t('notifications.unreadOnly')}</span>
          <Switch checked={unreadOnly} onChange={setUnreadOnly} aria-label={t('notifications.unreadOnly')} />
        </Space>
      </Space>
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <List
          loading={query.isPending}
          dataSource={items}
          locale={{ emptyText: t('notifications.empty') }}
          renderItem={(item) => (
            <NotificationItem
              item={item}
              busy={mutation.isPending && mutation.variables === item.id}
              onRead={(id) => mutation.mutate(id)}
            />
          )}
          loadMore={<LoadMore query={query} />}
        />
      )}
    </div>
  );
}
