import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { IssuePatch } from '@/api/types';
import { ErrorResult } from '@/shared/components/error-result';
import { PageLoading } from '@/shared/components/page-loading';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { issueQueries } from '../api/issue-queries';
import { createIssue, patchIssue } from '../api/issue-mutations';
import { IssueForm, type IssueFormValues } from './issue-form';

function clean(values: IssueFormValues): IssueFormValues {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as unknown as IssueFormValues;
}

export function IssueCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const mutation = useMutation({ mutationFn: createIssue });

  const onSubmit = async (values: IssueFormValues) => {
    try {
      const issue = await mutation.mutateAsync(clean(values));
      void message.success(t('issues.created'));
      await queryClient.invalidateQueries({ queryKey: issueQueries.lists() });
      void navigate(`/issues/${issue.id}`);
    } catch (error) {
      notifyError(error);
      throw error;
    }
  };

  return (
    <div>
      <Typography.Title level={3}>{t('issues.new')}</Typography.Title>
      <IssueForm submitting={mutation.isPending} onSubmit={onSubmit} onCancel={() => void navigate('/issues')} />
    </div>
  );
}

export function IssueEditPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const detail = useQuery(issueQueries.detail(id));
  const mutation = useMutation({
    mutationFn: (body: IssuePatch) => patchIssue(id, body, detail.data?.etag ?? null),
  });

  if (detail.isPending) return <PageLoading />;
  if (detail.isError) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;

  const onSubmit = async (values: IssueFormValues) => {
    const { campaign_id: _campaign, source: _source, ...patch } = clean(values);
    try {
      await mutation.mutateAsync(patch);
      void message.success(t('common.saved'));
      await queryClient.invalidateQueries({ queryKey: issueQueries.all() });
      void navigate(`/issues/${id}`);
    } catch (error) {
      notifyError(error);
      throw error;
    }
  };

  return (
    <div>
      <Typography.Title level={3}>{t('issues.edit')}</Typography.Title>
      <IssueForm
        issue={detail.data.issue}
        submitting={mutation.isPending}
        onSubmit={onSubmit}
        onCancel={() => void navigate(`/issues/${id}`)}
      />
    </div>
  );
}
