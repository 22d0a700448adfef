import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Progress, Result, Space, Steps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { directoryQueries } from '@/features/directory';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import {
  importCampaignFile,
  previewCampaignFile,
  type CampaignImportPreview,
  type CampaignImportResult,
} from '../api/campaign-import-api';
import { CampaignPreview } from './campaign-preview';

const ACCEPT = '.yaml,.yml';

/** The ledger filtered to a campaign's items (the ledger names the campaign in its filter bar). */
export const campaignLedgerLink = (id: string) => `/issues?campaign_id=${encodeURIComponent(id)}`;

/**
 * 导入专项行动定义文件 (office): the YAML file previewed first (a dry run: the campaign, units to create or match,
 * phases, categories, tasks, every problem with its field path; nothing written), then imported at once.
 */
export function CampaignImportPage() {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CampaignImportPreview | null>(null);
  const [result, setResult] = useState<CampaignImportResult | null>(null);
  const check = useMutation({
    mutationFn: previewCampaignFile,
    onSuccess: setPreview,
    onError: (error) => {
      setPreview(null);
      notifyError(error);
    },
  });
  const write = useMutation({
    mutationFn: () => importCampaignFile(file as File),
    onSuccess: (done) => {
      setResult(done);
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all() });
      void queryClient.invalidateQueries({ queryKey: ['issues'] });
    },
    onError: notifyError,
  });
  const choose = (f: File) => {
    setFile(f);
    setResult(null);
    check.mutate(f);
    return false;
  };
  const restart = () => {
    setFile(null);
    setPreview(null);
    setResult(null);
  };
  const step = result ? 3 : write.isPending ? 2 : preview ? 1 : 0;
  return (
    <div data-testid="campaign-import-page">
      <Typography.Title level={3}>{t('campaignImport.title')}</Typography.Title>
      {phone ? null : (
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 16 }}
          items={[
            { title: t('campaignImport.stepFile') },
            { title: t('campaignImport.stepPreview') },
            { title: t('campaignImport.stepWrite') },
            { title: t('campaignImport.stepDone') },
          ]}
        />
      )}
      {result ? (
        <div data-testid="campaign-import-result">
          <Result
            status="success"
            title={t('campaignImport.done', { name: result.campaign.name })}
            subTitle={t('campaignImport.doneDetail', { units: result.units_created, tasks: result.tasks_created })}
            extra={[
              <Link key="ledger" to={campaignLedgerLink(result.campaign.id)} data-testid="campaign-import-ledger">
                <Button type="primary">{t('campaignImport.toLedger')}</Button>
              </Link>,
              <Button key="again" onClick={restart}>
                {t('campaignImport.again')}
              </Button>,
            ]}
          />
        </div>
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('campaignImport.hint')}
            </Typography.Paragraph>
            <Upload.Dragger
              accept={ACCEPT}
              multiple={false}
              showUploadList={false}
              disabled={check.isPending || write.isPending}
              beforeUpload={choose}
              data-testid="campaign-import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text" style={{ overflowWrap: 'anywhere' }}>
                {file ? file.name : t('campaignImport.drop')}
              </p>
              <p className="ant-upload-hint">{t('campaignImport.dropHint')}</p>
            </Upload.Dragger>
          </Card>
          {check.isPending ? <Progress percent={100} status="active" showInfo={false} /> : null}
          {preview && !check.isPending ? (
            <Card size="small" title={t('campaignImport.previewTitle')} style={{ marginBottom: 16 }}>
              <CampaignPreview
                preview={preview}
                actions={
                  <Space wrap>
                    <Button
                      type="primary"
                      disabled={!preview.importable}
                      loading={write.isPending}
                      onClick={() => write.mutate()}
                      data-testid="campaign-import-write"
                    >
                      {t('campaignImport.write')}
                    </Button>
                    <Button onClick={restart}>{t('campaignImport.again')}</Button>
                  </Space>
                }
              />
            </Card>
          ) : null}
        </>
      )}
    </div>
  );
}
