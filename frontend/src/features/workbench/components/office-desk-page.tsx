import { Button, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { officeQueues } from '../lib/queues';
import { QueueBoard } from './queue-board';

/** 办公室工作台: complaints to accept, items to assign, review, extend or reassign, and the overdue ones. */
export function OfficeDeskPage() {
  const { t } = useTranslation();
  const queues = useMemo(() => officeQueues(), []);
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center" wrap>
        <Typography.Title level={3}>{t('workbench.officeTitle')}</Typography.Title>
        <Link to="/issues/new">
          <Button type="primary">{t('issues.new')}</Button>
        </Link>
      </Space>
      <QueueBoard queues={queues} ready showUnit />
    </div>
  );
}
