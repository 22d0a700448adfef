import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { SelfInspectionCreate } from '@/api/generated/openapi';
import { directoryQueries, useCategories } from '@/features/directory';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { fileItem, LEDGER_KEY } from '../api/self-inspection-api';

type Values = Pick<SelfInspectionCreate, 'campaign_id' | 'title' | 'description' | 'cause' | 'measures'> & {
  category_id?: string;
};

/** 自查填报: a unit's own problem with its cause and measures; it waits for the office's confirmation. */
export function SelfInspectionButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="self-inspection-new">
        {t('selfInspection.new')}
      </Button>
      <SelfInspectionDrawer open={open} onClose={() => setOpen(false)} />
    </>
  );
}

function SelfInspectionDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const campaigns = useQuery(directoryQueries.campaigns());
  const campaignId = Form.useWatch<string | undefined>('campaign_id', form);
  const { options: categories } = useCategories(campaignId);
  const file = useMutation({
    mutationFn: fileItem,
    onSuccess: async (issue) => {
      void message.success(t('selfInspection.filed'));
      form.resetFields();
      onClose();
      await queryClient.invalidateQueries({ queryKey: LEDGER_KEY });
      void navigate(`/issues/${issue.id}`);
    },
    onError: notifyError,
  });
  const required = (label: string) => [{ required: true, whitespace: true, message: t('selfInspection.required', { field: label }) }];
  const only = campaigns.data?.length === 1 ? campaigns.data[0]?.id : undefined;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={phone ? '100%' : 640}
      title={t('selfInspection.new')}
      destroyOnHidden
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={file.isPending} onClick={() => form.submit()}>
            {t('selfInspection.submit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('selfInspection.hint')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ campaign_id: only }}
        onFinish={(v) => file.mutate({ ...v, category_id: v.category_id ?? null })}
      >
        <Form.Item name="campaign_id" label={t('issues.campaign')} rules={[{ required: true, message: t('selfInspection.required', { field: t('issues.campaign') }) }]}>
          <Select options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t('issues.titleField')} rules={required(t('issues.titleField'))}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="description" label={t('issues.description')} rules={required(t('issues.description'))}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="cause" label={t('issues.cause')} rules={required(t('issues.cause'))}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="measures" label={t('issues.measures')} rules={required(t('issues.measures'))}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="category_id" label={t('issues.category')}>
          <Select allowClear options={categories} disabled={!campaignId} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
