import { Descriptions, Drawer, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FeedEvent } from '@/api/generated/openapi';
import { formatDateTime } from '@/shared/lib/format';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { AuditActor, useEventTypeLabel } from './audit-labels';

interface Props {
  event: FeedEvent | null;
  onClose: () => void;
}

/** One event in full: its envelope, the whole hash, and `data` (the subject's state after the change) as JSON. */
export function AuditEventDrawer({ event, onClose }: Props) {
  const { t } = useTranslation();
  const typeLabel = useEventTypeLabel();
  const phone = useIsPhone();
  return (
    <Drawer open={event !== null} onClose={onClose} width={640} title={event ? t('admin.audit.eventTitle', { seq: event.seq }) : null}>
      {event ? (
        <>
          <Descriptions column={1} size="small" bordered layout={phone ? 'vertical' : 'horizontal'}>
            <Descriptions.Item label={t('admin.audit.type')}>
              {typeLabel(event.type)} <Typography.Text code>{event.type}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.audit.occurredAt')}>{formatDateTime(event.occurred_at)}</Descriptions.Item>
            <Descriptions.Item label={t('admin.audit.actor')}>
              <AuditActor actor={event.actor} />
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.audit.subject')}>
              <Typography.Text copyable>{event.subject_id}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.audit.eventId')}>{event.id}</Descriptions.Item>
            <Descriptions.Item label={t('admin.audit.hash')}>
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {event.hash}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('admin.audit.data')}
          </Typography.Title>
          <pre
            aria-label={t('admin.audit.data')}
            style={{ background: '#f6f6f6', padding: 12, overflow: 'auto', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
          >
            {JSON.stringify(event.data, null, 2)}
          </pre>
        </>
      ) : null}
    </Drawer>
  );
}
