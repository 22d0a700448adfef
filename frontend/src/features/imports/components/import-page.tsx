import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Result, Select, Space, Steps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { directoryQueries, useUnits } from '@/features/directory';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadTemplate, dryRun, importQueries, startImport, type ImportResult } from '../api/imports-api';
import { ImportPreview, ImportSummary } from './import-preview';

const ACCEPT = '.xlsx,.csv';

/**
 * 导入台账 (office): the template to fill in, the filled file checked row by row (a dry run: errors in red, nothing
 * written), then written in the background with a progress bar. Rows imported before are counted, not created.
 */
export function ImportPage() {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const campaigns = useQuery(directoryQueries.campaigns());
  const { unitName } = useUnits();
  const [campaignId, setCampaignId] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportResult | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useQuery({ ...importQueries.job(jobId ?? ''), enabled: jobId !== null });
  const template = useMutation({ mutationFn: () => downloadTemplate(campaignId), onError: notifyError });
  const check = useMutation({
    mutationFn: (f: File) => dryRun(f, campaignId),
    onSuccess: (result) => setReport(result),
    onError: (error) => {
      setReport(null);
      notifyError(error);
    },
  });
  const write = useMutation({
    mutationFn: () => startImport(file as File, report?.campaign_id ?? campaignId),
    onSuccess: (started) => {
      setJobId(started.id);
      void queryClient.invalidateQueries({ queryKey: ['issues'] });
    },
    onError: notifyError,
  });
  const choose = (f: File) => {
    setFile(f);
    setJobId(null);
    check.mutate(f);
    return false;
  };
  const restart = () => {
    setFile(null);
    setReport(null);
    setJobId(null);
  };
  const errors = report?.errors.length ?? 0;
  const running = job.data?.status === 'running' || write.isPending;
  const finished = job.data && job.data.status !== 'running' ? job.data : null;
  const percent = job.data ? (job.data.total ? Math.round((job.data.done / job.data.total) * 100) : 100) : 0;
  const step = finished ? 4 : jobId ? 2 : report ? 1 : 0;
  return (
    <div data-testid="import-page">
      <Typography.Title level={3}>{t('imports.title')}</Typography.Title>
      {phone ? null : (
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 16 }}
          items={[{ title: t('imports.stepFile') }, { title: t('imports.stepCheck') }, { title: t('imports.stepWrite') }, { title: t('imports.stepDone') }]}
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap style={{ width: '100%' }}>
          <Select
            aria-label={t('issues.campaign')}
            allowClear
            placeholder={t('imports.campaignFromFile')}
            style={{ width: phone ? '100%' : 280 }}
            value={campaignId}
            onChange={setCampaignId}
            options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          <Button onClick={() => template.mutate()} loading={template.isPending} data-testid="import-template">
            {t('imports.template')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 8 }}>
          {t('imports.hint')}
        </Typography.Paragraph>
        <Upload.Dragger
          accept={ACCEPT}
          multiple={false}
          showUploadList={false}
          disabled={running || check.isPending}
          beforeUpload={choose}
          data-testid="import-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? file.name : t('imports.drop')}</p>
          <p className="ant-upload-hint">{t('imports.dropHint')}</p>
        </Upload.Dragger>
      </Card>
      {check.isPending ? <Progress percent={100} status="active" showInfo={false} /> : null}
      {report && !jobId ? (
        <Card size="small" title={t('imports.previewTitle')} style={{ marginBottom: 16 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <ImportSummary preview={report.preview ?? []} />
            {errors ? (
              <Alert type="error" showIcon message={t('imports.hasErrors', { count: errors })} data-testid="import-has-errors" />
            ) : null}
            <ImportPreview preview={report.preview ?? []} errors={report.errors} unitName={unitName} />
            <Space wrap>
              <Button
                type="primary"
                disabled={errors > 0 || !report.preview?.some((p) => p.state === 'new')}
                loading={write.isPending}
                onClick={() => write.mutate()}
                data-testid="import-write"
              >
                {t('imports.write', { count: report.preview?.filter((p) => p.state === 'new').length ?? 0 })}
              </Button>
              <Button onClick={restart}>{t('imports.again')}</Button>
            </Space>
          </Space>
        </Card>
      ) : null}
      {jobId && !finished ? (
        <Card size="small" title={t('imports.writing')}>
          <Progress percent={percent} status="active" data-testid="import-progress" />
          <Typography.Text type="secondary">
            {t('imports.progress', { done: job.data?.done ?? 0, total: job.data?.total ?? 0 })}
          </Typography.Text>
        </Card>
      ) : null}
      {finished ? (
        <div data-testid="import-result">
          <Result
            status={finished.status === 'done' ? 'success' : 'error'}
            title={finished.status === 'done' ? t('imports.done', { created: finished.created.length }) : t(`imports.jobStates.${finished.status}`)}
            subTitle={finished.error ?? (finished.existing ? t('imports.existing', { count: finished.existing }) : undefined)}
            extra={[
              <Link key="ledger" to="/issues">
                <Button type="primary">{t('imports.toLedger')}</Button>
              </Link>,
              <Button key="again" onClick={restart}>
                {t('imports.again')}
              </Button>,
            ]}
          />
        </div>
      ) : null}
    </div>
  );
}
