import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { MeetingCreate } from '@/api/generated/openapi';
import { directoryQueries } from '@/features/directory';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { createMeeting, reportQueries } from '../api/report-queries';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 生成例会材料: freeze a campaign's figures for a period (office and admin; the API answers 403 to others). */
export function MeetingForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const campaigns = useQuery(directoryQueries.campaigns());
  const [form] = Form.useForm<MeetingCreate>();
  const create = useMutation({
    mutationFn: createMeeting,
    onSuccess: async (meeting) => {
      void message.success(t('reports.meetings.created', { period: meeting.period }));
      await queryClient.invalidateQueries({ queryKey: [...reportQueries.all(), 'meetings'] });
    },
    onError: notifyError,
  });

  return (
    <Form<MeetingCreate>
      form={form}
      layout="inline"
      initialValues={{ period: dayjs().format('YYYY-MM') }}
      onFinish={(values) => create.mutate({ campaign_id: values.campaign_id, period: values.period.trim() })}
    >
      <Form.Item name="campaign_id" label={t('reports.filters.campaign')} rules={[{ required: true, message: t('reports.meetings.campaignRequired') }]}>
        <Select
          aria-label={t('reports.filters.campaign')}
          placeholder={t('reports.filters.campaign')}
          options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          style={{ width: 240 }}
        />
      </Form.Item>
      <Form.Item
        name="period"
        label={t('reports.meetings.period')}
        rules={[{ required: true, pattern: PERIOD, message: t('reports.meetings.periodFormat') }]}
      >
        <Input aria-label={t('reports.meetings.period')} placeholder="2026-11" style={{ width: 120 }} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('reports.meetings.create')}
        </Button>
      </Form.Item>
    </Form>
  );
}
