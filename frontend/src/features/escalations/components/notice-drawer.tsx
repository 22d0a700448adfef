import { DownloadOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { useUnits } from '@/features/directory';
import { IssueLink } from '@/shared/components/issue-link';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadNotice } from '../api/escalation-queries';
import { canAcknowledge, useAcknowledge } from '../hooks/use-acknowledge';
import { AcknowledgeState } from './acknowledge-state';
import { EscalationLevelTag } from './escalation-level-tag';
import { noticeText } from './notice-text';
import { useIsPhone } from '@/shared/hooks/use-is-phone';

/** 督办 (2) and 通报 (3) carry a numbered notice that prints as a Word document. */
function hasNotice(e: EscalationOut): boolean {
  return (e.level === 2 || e.level === 3) && e.number !== null;
}

interface Props {
  escalation: EscalationOut | null;
  onClose: () => void;
}

/** One notice in full — number, level, step, issue, unit, text — with 签收 (confirmed) at its foot for the unit. */
export function NoticeDrawer({ escalation: e, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const phone = useIsPhone();
  const { unitName } = useUnits();
  const acknowledge = useAcknowledge();
  const showError = useErrorNotice();
  const signable = e !== null && canAcknowledge(user, e);
  const footer = signable ? (
    <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
      <Button onClick={onClose}>{t('common.close')}</Button>
      <Popconfirm
        title={t('escalations.confirmTitle')}
        description={t('escalations.confirmText', { number: e.number ?? '' })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onConfirm={() => acknowledge.mutate(e.id, { onSuccess: onClose })}
      >
        <Button type="primary" loading={acknowledge.isPending}>
          {t('escalations.acknowledge')}
        </Button>
      </Popconfirm>
    </Space>
  ) : null;
  return (
    <Drawer
      open={e !== null}
      onClose={onClose}
      width="min(600px, 100vw)"
      title={
        e ? (
          <Space size={4} wrap>
            <EscalationLevelTag level={e.level} />
            <span>{e.number ?? t('escalations.noticeTitle')}</span>
          </Space>
        ) : null
      }
      footer={footer}
      destroyOnHidden
    >
      {e ? (
        <>
          <Typography.Paragraph data-testid="notice-text" style={{ fontSize: 16, lineHeight: 1.8, whiteSpace: 'pre-wrap' }}>
            {noticeText(e, unitName(e.unit_id), t, i18n.language)}
          </Typography.Paragraph>
          {hasNotice(e) ? (
            <Button
              icon={<DownloadOutlined />}
              data-testid="notice-download"
              style={{ marginBottom: 16 }}
              onClick={() => {
                const kind = t(`escalations.noticeKinds.${e.level}`);
                downloadNotice(e, t('escalations.noticeFile', { kind, number: e.number ?? '' })).catch(showError);
              }}
            >
              {t('escalations.downloadNotice')}
            </Button>
          ) : null}
          <Descriptions column={1} size="small" bordered layout={phone ? 'vertical' : 'horizontal'}>
            <Descriptions.Item label={t('escalations.number')}>{e.number ?? t('escalations.noNumber')}</Descriptions.Item>
            <Descriptions.Item label={t('escalations.level')}>
              <EscalationLevelTag level={e.level} />
            </Descriptions.Item>
            <Descriptions.Item label={t('escalations.step')}>{i18n.language.startsWith('zh') ? e.label.zh : e.label.en}</Descriptions.Item>
            <Descriptions.Item label={t('escalations.issue')}>
              <IssueLink id={e.issue_id} code={e.issue_code} title={e.issue_title} />
            </Descriptions.Item>
            <Descriptions.Item label={t('escalations.unit')}>{unitName(e.unit_id)}</Descriptions.Item>
            <Descriptions.Item label={t('escalations.deadline')}>{formatDate(e.deadline)}</Descriptions.Item>
            <Descriptions.Item label={t('escalations.firedAt')}>{formatDateTime(e.fired_at)}</Descriptions.Item>
            <Descriptions.Item label={t('escalations.acknowledgedAt')}>
              <AcknowledgeState escalation={e} />
            </Descriptions.Item>
          </Descriptions>
        </>
      ) : null}
    </Drawer>
  );
}
