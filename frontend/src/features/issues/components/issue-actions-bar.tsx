import { Button, Divider, Space, Typography, Upload } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { IssueDetail } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { arrangeSteps, STEPS, type StepName } from '../api/issue-actions';
import { issueQueries } from '../api/issue-queries';
import { downloadDossier, uploadAttachment } from '../api/issue-mutations';
import { allowedSteps } from '../hooks/allowed-steps';
import { StepModal } from './step-modal';

/**
 * Buttons for the steps the API allows now: the step that moves the issue on stands out (primary), the others
 * beside it, and 撤销 apart at the end in red. `?step=assign` (after 受理登记) opens that step's dialog at once.
 */
export function IssueActionsBar({ issue }: { issue: IssueDetail }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const notifyError = useErrorNotice();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<StepName | null>(null);
  const [uploading, setUploading] = useState(false);
  const steps = allowedSteps(issue);
  const { primary, others, destructive } = arrangeSteps(steps);
  const extensions = useQuery({ ...issueQueries.extensions(issue.id), enabled: steps.includes('decide_extension') });
  const asked = params.get('step');

  useEffect(() => {
    if (!asked) return;
    if (steps.includes(asked as StepName)) setOpen(asked as StepName);
    setParams(
      (current) => {
        const out = new URLSearchParams(current);
        out.delete('step');
        return out;
      },
      { replace: true },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per asked step
  }, [asked]);

  const upload = async (file: File) => {
    setUploading(true);
    try {
      await uploadAttachment(issue.id, file);
      await queryClient.invalidateQueries({ queryKey: issueQueries.all() });
    } catch (error) {
      notifyError(error);
    } finally {
      setUploading(false);
    }
  };

  const canUpload = steps.length > 0 && issue.status !== 'closed' && issue.status !== 'cancelled';
  const button = (step: StepName, type: 'primary' | 'default') => (
    <Button key={step} type={type} danger={STEPS[step].danger === true} onClick={() => setOpen(step)}>
      {t(`actions.${step}`)}
    </Button>
  );

  return (
    <div>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }} data-testid="issue-actions">
        <Space wrap>
          {primary ? button(primary, 'primary') : null}
          {others.map((step) => button(step, 'default'))}
          {steps.length === 0 ? <Typography.Text type="secondary">{t('issues.noActions')}</Typography.Text> : null}
          {canUpload ? (
            <Upload
              showUploadList={false}
              beforeUpload={(file) => {
                void upload(file);
                return false;
              }}
            >
              <Button loading={uploading}>{t('issues.upload')}</Button>
            </Upload>
          ) : null}
          <Button type="link" onClick={() => void downloadDossier(issue.id, issue.code).catch(notifyError)}>
            {t('issues.dossier')}
          </Button>
        </Space>
        {destructive.length > 0 ? (
          <Space data-testid="destructive-actions">
            {/* on a phone the two groups wrap onto lines of their own: a divider there would stand alone */}
            {phone ? null : <Divider type="vertical" />}
            {destructive.map((step) => (
              <Button key={step} danger onClick={() => setOpen(step)}>
                {t(`actions.${step}`)}
              </Button>
            ))}
          </Space>
        ) : null}
      </Space>
      <StepModal
        issue={issue}
        unitId={user?.unit_id}
        step={open}
        extensionRequests={extensions.data ?? []}
        onClose={() => setOpen(null)}
      />
    </div>
  );
}
