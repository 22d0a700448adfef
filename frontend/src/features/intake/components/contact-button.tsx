import { useMutation } from '@tanstack/react-query';
import { Button, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IntakeOut } from '@/api/generated/openapi';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { readContact } from '../api/intake-api';

/** Contacts stay hidden until asked for: each reveal is one read in the audit log. */
export function ContactButton({ item }: { item: IntakeOut }) {
  const { t } = useTranslation();
  const notifyError = useErrorNotice();
  const reveal = useMutation({ mutationFn: () => readContact(item.id), onError: notifyError });
  if (!item.has_contact) return <Typography.Text type="secondary">{t('intake.noContact')}</Typography.Text>;
  if (reveal.data) {
    const c = reveal.data;
    return (
      <Space direction="vertical" size={0} data-testid="contact">
        {c.contact_name ? <span>{c.contact_name}</span> : null}
        {c.contact_phone ? <span>{c.contact_phone}</span> : null}
        {c.contact_email ? <span>{c.contact_email}</span> : null}
        {c.notify_by ? <Typography.Text type="secondary">{t(`intake.notifyBy.${c.notify_by}`)}</Typography.Text> : null}
      </Space>
    );
  }
  return (
    <Tooltip title={t('intake.contactAudited')}>
      <Button size="small" loading={reveal.isPending} onClick={() => reveal.mutate()}>
        {t('intake.showContact')}
      </Button>
    </Tooltip>
  );
}
