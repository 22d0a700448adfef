import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, fieldErrorList } from '@/api/problem';
import type { IssueCreateAndAssign, IssuePatch } from '@/api/generated/openapi';
import type { Dayjs } from 'dayjs';
import { ErrorResult } from '@/shared/components/error-result';
import { PageLoading } from '@/shared/components/page-loading';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { issueQueries, type IssueVersion } from '../api/issue-queries';
import { createIssue, patchIssue } from '../api/issue-mutations';
import { editPatch } from '../api/issue-patch';
import { IssueEditConflict } from './issue-edit-conflict';
import { IssueForm, issueFormValues, type IssueFormValues } from './issue-form';

function clean(values: IssueFormValues): IssueFormValues {
  return Object.fromEntries(
    Object.entries(values as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as unknown as IssueFormValues;
}

interface AssignValues {
  lead_unit_id?: string;
  co_unit_ids?: string[];
  deadline?: Dayjs;
  requirements?: string;
}

/** The create body: the issue's fields, and `assign` when a lead unit was chosen (登记并交办 in one request). */
export function createBody(values: IssueFormValues & { assign?: AssignValues }): IssueCreateAndAssign {
  const { assign, ...fields } = values;
  const body: IssueCreateAndAssign = { ...clean(fields) };
  if (assign?.lead_unit_id) {
    body.assign = {
      lead_unit_id: assign.lead_unit_id,
      co_unit_ids: assign.co_unit_ids ?? [],
      ...(assign.deadline ? { deadline: assign.deadline.format('YYYY-MM-DD') } : {}),
      ...(assign.requirements?.trim() ? { requirements: assign.requirements.trim() } : {}),
    };
  }
  return body;
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
      const issue = await mutation.mutateAsync(createBody(values));
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
  const { id = '' } = useParams();
  const detail = useQuery(issueQueries.detail(id));

  // once a version is held, a failed refetch must not unmount the form and lose the user's edits
  if (detail.data) return <IssueEditor key={id} id={id} opened={detail.data} />;
  if (detail.isError) return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;
  return <PageLoading />;
}

function reveal(element: HTMLElement | null) {
  if (element && typeof element.scrollIntoView === 'function') element.scrollIntoView({ block: 'center' });
}

/**
 * Edits one version of an issue. Saves send that version's ETag in If-Match, never a newer one fetched
 * meanwhile: a 412 keeps the edits, fetches the stored version and asks the user to load it or to overwrite it.
 */
function IssueEditor({ id, opened }: { id: string; opened: IssueVersion }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<IssueFormValues>();
  const alertRef = useRef<HTMLDivElement>(null);
  // the version the edits apply to (the one opened, or one the user has since seen in a conflict)
  const [base, setBase] = useState(opened);
  // a newer stored version found by a 412, until the user chooses what to do with it
  const [latest, setLatest] = useState<IssueVersion | null>(null);
  const mutation = useMutation({
    mutationFn: ({ body, etag }: { body: IssuePatch; etag: string | null }) => patchIssue(id, body, etag),
  });

  useEffect(() => {
    if (latest) reveal(alertRef.current);
  }, [latest]);

  /** After a 412 on a save with `tried`: true when a newer version was fetched and is now shown. */
  const showConflict = async (tried: IssueVersion): Promise<boolean> => {
    try {
      const fresh = await queryClient.query({ ...issueQueries.detail(id), staleTime: 0 });
      if (fresh.etag === tried.etag) return false;
      setBase(tried);
      setLatest(fresh);
      return true;
    } catch {
      return false;
    }
  };

  /** PATCH what the user changed since `base` (the version they edited), on top of `version` (its ETag). */
  const save = async (values: IssueFormValues, version: IssueVersion) => {
    const patch = editPatch(issueFormValues(base.issue), values);
    if (Object.keys(patch).length === 0) {
      void message.info(t('issues.nothingChanged'));
      void navigate(`/issues/${id}`);
      return;
    }
    try {
      await mutation.mutateAsync({ body: patch, etag: version.etag });
    } catch (error) {
      if (error instanceof ApiError && error.status === 412 && (await showConflict(version))) return;
      notifyError(error);
      throw error;
    }
    void message.success(t('common.saved'));
    await queryClient.invalidateQueries({ queryKey: issueQueries.all() });
    void navigate(`/issues/${id}`);
  };

  const onSubmit = async (values: IssueFormValues) => {
    if (latest) {
      // an unresolved conflict: a plain save must not overwrite, nor repeat a request bound to fail
      void message.warning(t('issues.conflictChoose'));
      reveal(alertRef.current);
      return;
    }
    await save(values, base);
  };

  const loadLatest = () => {
    if (!latest) return;
    const values = issueFormValues(latest.issue);
    form.setFields(
      (Object.keys(values) as (keyof IssueFormValues)[]).map((name) => ({ name, value: values[name], errors: [] })),
    );
    setBase(latest);
    setLatest(null);
    void message.info(t('issues.conflictLoaded'));
  };

  const saveMine = async () => {
    if (!latest) return;
    let values: IssueFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      await save(values, latest);
    } catch (error) {
      setBase(latest);
      setLatest(null);
      form.setFields(fieldErrorList(error) as Parameters<typeof form.setFields>[0]);
    }
  };

  return (
    <div>
      <Typography.Title level={3}>{t('issues.edit')}</Typography.Title>
      {latest ? (
        <IssueEditConflict
          alertRef={alertRef}
          base={base.issue}
          latest={latest.issue}
          busy={mutation.isPending}
          onLoadLatest={loadLatest}
          onSaveMine={() => void saveMine()}
        />
      ) : null}
      <IssueForm
        form={form}
        issue={base.issue}
        submitting={mutation.isPending}
        onSubmit={onSubmit}
        onCancel={() => void navigate(`/issues/${id}`)}
      />
    </div>
  );
}
