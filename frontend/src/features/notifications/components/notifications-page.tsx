import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, List, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { NotificationOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { LoadMore } from '@/shared/components/load-more';
import { itemLink, markAllRead, markRead, notificationQueries } from '../api/notification-queries';

const LEVEL_COLORS = ['blue', 'orange', 'gold', 'red', 'magenta'];

function NotificationItem({ item, onRead, busy }: { item: NotificationOut; onRead: (id: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const level = item.level ?? null;
  const link = itemLink(item);
  return (
    <List.Item
      actions={[
        link ? (
          <Link key="open" to={link} onClick={() => (item.read_at ? undefined : onRead(item.id))}>
            {item.issue_id ? t('notifications.openIssue') : t('notifications.openIntake')}
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
            {link ? (
              <Link to={link} onClick={() => (item.read_at ? undefined : onRead(item.id))}>
                {item.title}
              </Link>
            ) : (
              <span>{item.title}</span>
            )}
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
  const { message } = App.useApp();
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: ({ marked }) => void message.success(t('notifications.allMarked', { count: marked })),
    onError: notifyError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationQueries.all() }),
  });
  const unread = useQuery(notificationQueries.unreadCount());
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3}>{t('notifications.title')}</Typography.Title>
        <Space wrap>
          <span>{t('notifications.unreadOnly')}</span>
          <Switch checked={unreadOnly} onChange={setUnreadOnly} aria-label={t('notifications.unreadOnly')} />
          <Button type="primary" loading={readAll.isPending} disabled={unread.data === 0} onClick={() => readAll.mutate()}>
            {t('notifications.markAllRead')}
          </Button>
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
