import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { intakeQueries, replyOnIssue } from '../api/intake-api';
import { ReplyField } from './reply-field';

/**
 * 公开答复 on an issue: every submitter whose submission became part of it reads them on their page. The
 * office (and admin) writes one with a preview of that page; other roles read them.
 */
export function IssuePublicReplies({ issueId, canReply }: { issueId: string; canReply: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ content: string }>();
  const replies = useQuery(intakeQueries.issueReplies(issueId));
  const view = useQuery({ ...intakeQueries.issuePublicView(issueId), enabled: canReply });
  const mutation = useMutation({
    mutationFn: (content: string) => replyOnIssue(issueId, content),
    onSuccess: () => {
      void message.success(t('common.done'));
      form.resetFields();
    },
    onError: notifyError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: intakeQueries.all() }),
  });

  if (replies.isError) return <ErrorResult error={replies.error} compact onRetry={() => void replies.refetch()} />;
  return (
    <div data-testid="issue-public-replies">
      <List
        size="small"
        loading={replies.isPending}
        dataSource={replies.data ?? []}
        locale={{ emptyText: t('intake.noIssueReplies') }}
        renderItem={(r) => (
          <List.Item>
            <div>
              <Typography.Text type="secondary">{formatDateTime(r.at)}</Typography.Text>
              <div style={{ whiteSpace: 'pre-wrap' }}>{r.content}</div>
            </div>
          </List.Item>
        )}
      />
      {canReply ? (
        <Form form={form} layout="vertical" onFinish={(v) => mutation.mutate(v.content.trim())}>
          <ReplyField name="content" label={t('intake.addReply')} required view={view} form={form} on="issue" />
          {view.isError ? <Typography.Paragraph type="warning">{t('intake.previewUnavailable')}</Typography.Paragraph> : null}
          <Button type="primary" htmlType="submit" loading={mutation.isPending}>
            {t('intake.addReply')}
          </Button>
        </Form>
      ) : null}
    </div>
  );
}
