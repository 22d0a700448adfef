import { useQuery } from '@tanstack/react-query';
import { List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { escalationQueries } from '../api/escalation-queries';
import { NoticeDrawer } from './notice-drawer';
import { OpenNoticeButton } from './open-notice-button';
import { AcknowledgeState } from './acknowledge-state';
import { EscalationLevelTag } from './escalation-level-tag';

/** 督办记录 of one issue, newest first; each notice opens in full, and the unit signs its open ones there. */
export function IssueEscalations({ issueId }: { issueId: string }) {
  const { t } = useTranslation();
  const query = useQuery(escalationQueries.forIssue(issueId));
  const [open, setOpen] = useState<EscalationOut | null>(null);
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} compact />;
  return (
    <>
    <List
      size="small"
      loading={query.isPending}
      dataSource={query.data?.items ?? []}
      locale={{ emptyText: t('escalations.emptyForIssue') }}
      renderItem={(e) => (
        <List.Item actions={[<OpenNoticeButton key="open" escalation={e} onOpen={setOpen} />]}>
          <Space direction="vertical" size={0}>
            <Space size={4} wrap>
              <EscalationLevelTag level={e.level} />
              {e.number ? <Typography.Text strong>{e.number}</Typography.Text> : null}
              <AcknowledgeState escalation={e} />
            </Space>
            <Typography.Text type="secondary">
              {t('escalations.firedAt')} {formatDateTime(e.fired_at)} · {t('escalations.deadline')} {formatDate(e.deadline)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
    <NoticeDrawer escalation={open} onClose={() => setOpen(null)} />
    </>
  );
}
