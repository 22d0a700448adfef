import { Button, Space, Typography, Upload } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Issue } from '@/api/types';
import { useAuth } from '@/features/auth';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { STEPS, type StepName } from '../api/issue-actions';
import { issueQueries } from '../api/issue-queries';
import { downloadDossier, uploadAttachment } from '../api/issue-mutations';
import { allowedSteps } from '../hooks/allowed-steps';
import { StepModal } from './step-modal';

/** Buttons for the steps the API allows now, the attachment upload and the dossier download. */
export function IssueActionsBar({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const notifyError = useErrorNotice();
  const [open, setOpen] = useState<StepName | null>(null);
  const [uploading, setUploading] = useState(false);
  const steps = allowedSteps(issue);
  const extensions = useQuery({ ...issueQueries.extensions(issue.id), enabled: steps.includes('decide_extension') });

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

  return (
    <div>
      <Space wrap>
        {steps.map((step) => (
          <Button key={step} danger={STEPS[step].danger === true} onClick={() => setOpen(step)}>
            {t(`actions.${step}`)}
          </Button>
        ))}
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
      <StepModal
        issueId={issue.id}
        unitId={user?.unit_id}
        step={open}
        extensionRequests={extensions.data ?? []}
        coUnits={issue.co_units ?? []}
        onClose={() => setOpen(null)}
      />
    </div>
  );
}
