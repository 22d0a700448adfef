import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { notificationQueries } from '../api/notification-queries';
import { useNotificationStream } from '../hooks/use-notification-stream';

/** Header bell with the unread count; keeps the live stream open while signed in. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useQuery(notificationQueries.unreadCount());
  useNotificationStream(true);
  return (
    <Link to="/notifications" aria-label={t('nav.notifications')}>
      <Badge count={unread.data ?? 0} size="small" overflowCount={99}>
        <Button type="text" icon={<BellOutlined />} />
      </Badge>
    </Link>
  );
}
