import { FileOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Image, List, Progress, Select, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentOut, IssueOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDateTime } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadAttachment, evidenceQueries, STEPS, uploadEvidence, type EvidenceStep } from '../api/evidence-api';

const OPEN = new Set(['registered', 'assigned', 'returned', 'in_progress', 'pending_review']);
const STEP_COLORS: Record<EvidenceStep, string> = { completion: 'green', progress: 'blue', other: 'default' };

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Thumb({ issueId, a }: { issueId: string; a: AttachmentOut }) {
  const image = useQuery({ ...evidenceQueries.image(issueId, a.id), enabled: a.content_type.startsWith('image/') });
  if (!a.content_type.startsWith('image/')) return <FileOutlined style={{ fontSize: 32, color: '#8c8c8c' }} />;
  return image.data ? <Image src={image.data} width={48} height={48} style={{ objectFit: 'cover' }} alt={a.name} /> : <FileOutlined style={{ fontSize: 32 }} />;
}

/** 佐证材料: the issue's files with the step each proves; the office and the issue's units add them with a progress bar. */
export function IssueEvidence({ issue }: { issue: IssueOut }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const list = useQuery(evidenceQueries.list(issue.id));
  const [step, setStep] = useState<EvidenceStep>(issue.status === 'in_progress' ? 'completion' : 'other');
  const [percent, setPercent] = useState<number | null>(null);
  const office = user?.role === 'office' || user?.role === 'admin';
  const mayAttach = office || (user?.role === 'unit' && OPEN.has(issue.status));
  const upload = async (file: File) => {
    setPercent(0);
    try {
      await uploadEvidence(issue.id, file, step, setPercent);
      void message.success(t('evidence.uploaded', { name: file.name }));
      await queryClient.invalidateQueries({ queryKey: evidenceQueries.list(issue.id).queryKey });
    } catch (error) {
      notifyError(error);
    } finally {
      setPercent(null);
    }
  };
  if (list.isError) return <ErrorResult error={list.error} compact />;
  return (
    <div data-testid="issue-evidence">
      {mayAttach ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<EvidenceStep>
            aria-label={t('evidence.step')}
            value={step}
            onChange={setStep}
            style={{ width: 160 }}
            options={STEPS.map((s) => ({ value: s, label: t(`evidence.steps.${s}`) }))}
          />
          <Upload
            showUploadList={false}
            disabled={percent !== null}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button loading={percent !== null}>{t('evidence.upload')}</Button>
          </Upload>
          {percent !== null ? <Progress percent={percent} size="small" style={{ width: 160 }} data-testid="evidence-progress" /> : null}
        </Space>
      ) : null}
      <List<AttachmentOut>
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('evidence.empty') }}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button key="download" size="small" onClick={() => void downloadAttachment(issue.id, a).catch(notifyError)}>
                {t('evidence.download')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              avatar={<Thumb issueId={issue.id} a={a} />}
              title={
                <Space size={4} wrap>
                  <Typography.Text>{a.name}</Typography.Text>
                  <Tag color={STEP_COLORS[a.step]}>{t(`evidence.steps.${a.step}`)}</Tag>
                </Space>
              }
              description={t('evidence.meta', {
                size: size(a.size),
                who: a.uploaded_by_name ?? t('evidence.someone'),
                at: formatDateTime(a.uploaded_at),
              })}
            />
          </List.Item>
        )}
      />
    </div>
  );
}
