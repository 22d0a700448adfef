import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Modal, Select, Space, Tabs, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SelfInspectionBatchResult } from '@/api/generated/openapi';
import { directoryQueries } from '@/features/directory';
import { ImportPreview, ImportSummary } from '@/features/imports';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { downloadBatchTemplate, fileBatch, LEDGER_KEY, PASTE_HEADER, pastedSheet } from '../api/self-inspection-api';

type Source = 'paste' | 'file';

/** 批量录入: a unit's many rows at once — pasted from Excel or a filled-in sheet — checked, then filed together. */
export function SelfInspectionBatchButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="self-inspection-batch">
        {t('selfInspection.batch.open')}
      </Button>
      {open ? <BatchDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function BatchDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const campaigns = useQuery(directoryQueries.campaigns());
  const only = campaigns.data?.length === 1 ? campaigns.data[0]?.id : undefined;
  const [chosen, setChosen] = useState<string | undefined>();
  const campaignId = chosen ?? only;
  const [source, setSource] = useState<Source>('paste');
  const [text, setText] = useState('');
  const [upload, setUpload] = useState<File | null>(null);
  // what was checked: the file sent, how its rows map to what the person sees, and the answer
  const [checked, setChecked] = useState<{ file: File; offset: number; report: SelfInspectionBatchResult } | null>(null);
  const sheet = () => (source === 'paste' ? pastedSheet(text) : upload ? { file: upload, offset: 0 } : null);
  const check = useMutation({
    mutationFn: async () => {
      const input = sheet();
      if (!input) throw new Error('nothing to check');
      return { ...input, report: await fileBatch(input.file, { campaignId, dryRun: true }) };
    },
    onSuccess: setChecked,
    onError: (error) => {
      setChecked(null);
      notifyError(error);
    },
  });
  const file = useMutation({
    mutationFn: () => fileBatch((checked as NonNullable<typeof checked>).file, { campaignId, dryRun: false }),
    onSuccess: async (result) => {
      void message.success(t('selfInspection.batch.filed', { count: result.created.length, existing: result.existing }));
      await queryClient.invalidateQueries({ queryKey: LEDGER_KEY });
      onClose();
    },
    onError: notifyError,
  });
  const template = useMutation({ mutationFn: () => downloadBatchTemplate(campaignId), onError: notifyError });
  const changed = () => setChecked(null);
  const report = checked?.report;
  const fresh = report?.preview?.filter((p) => p.state === 'new').length ?? 0;
  const ready = source === 'paste' ? text.trim() !== '' : upload !== null;
  const offset = checked?.offset ?? 0;
  const rowLabel = (row: number) => (source === 'paste' ? row - offset : row);
  return (
    <Modal
      open
      width={960}
      title={t('selfInspection.batch.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space wrap style={{ justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button disabled={!ready} loading={check.isPending} onClick={() => check.mutate()} data-testid="batch-check">
            {t('selfInspection.batch.check')}
          </Button>
          <Button
            type="primary"
            disabled={!report || report.errors.length > 0 || fresh === 0}
            loading={file.isPending}
            onClick={() => file.mutate()}
            data-testid="batch-submit"
          >
            {t('selfInspection.batch.submit', { count: fresh })}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('selfInspection.batch.hint')}
        </Typography.Paragraph>
        <Select
          aria-label={t('issues.campaign')}
          style={{ width: '100%', maxWidth: 360 }}
          placeholder={t('issues.campaign')}
          value={campaignId}
          onChange={(v) => {
            setChosen(v);
            changed();
          }}
          options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Tabs
          activeKey={source}
          onChange={(key) => {
            setSource(key as Source);
            changed();
          }}
          items={[
            {
              key: 'paste',
              label: t('selfInspection.batch.paste'),
              children: (
                <Input.TextArea
                  data-testid="batch-paste"
                  aria-label={t('selfInspection.batch.paste')}
                  rows={6}
                  value={text}
                  onChange={(e) => {
                    setText(e.target.value);
                    changed();
                  }}
                  placeholder={t('selfInspection.batch.pastePlaceholder', { columns: PASTE_HEADER.join(' ⇥ ') })}
                  style={{ fontFamily: 'monospace' }}
                />
              ),
            },
            {
              key: 'file',
              label: t('selfInspection.batch.file'),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Upload.Dragger
                    accept=".xlsx,.csv"
                    multiple={false}
                    showUploadList={false}
                    beforeUpload={(f) => {
                      setUpload(f);
                      changed();
                      return false;
                    }}
                  >
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">{upload ? upload.name : t('imports.drop')}</p>
                    <p className="ant-upload-hint">{t('selfInspection.batch.fileHint')}</p>
                  </Upload.Dragger>
                  <Button type="link" style={{ padding: 0 }} onClick={() => template.mutate()} loading={template.isPending}>
                    {t('selfInspection.batch.template')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
        {report ? (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="batch-preview">
            <ImportSummary preview={report.preview ?? []} />
            {report.errors.length ? (
              <Alert type="error" showIcon message={t('selfInspection.batch.hasErrors', { count: report.errors.length })} />
            ) : null}
            {report.existing ? <Alert type="info" showIcon message={t('imports.existing', { count: report.existing })} /> : null}
            <ImportPreview preview={report.preview ?? []} errors={report.errors} withCauses rowLabel={rowLabel} />
          </Space>
        ) : null}
      </Space>
    </Modal>
  );
}
