import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Radio, Rate, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PublicFeedback } from '@/api/types';
import { ErrorResult } from '@/shared/components/error-result';
import { publicQueries, sendFeedback } from '../api/public-api';

/** 满意度回访: satisfied yes/no, rating 1-5, optional comment. */
export function FeedbackForm({ code }: { code: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (body: PublicFeedback) => sendFeedback(code, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publicQueries.submission(code).queryKey }),
  });
  if (mutation.isSuccess) return <Result status="success" title={t('public.feedbackThanks')} />;
  const onFinish = (values: { satisfied: boolean; rating: number; comment?: string }) => {
    const comment = values.comment?.trim();
    mutation.mutate({ satisfied: values.satisfied, rating: values.rating, ...(comment ? { comment } : {}) });
  };
  return (
    <Card title={t('public.feedbackTitle')} size="small">
      <Form layout="vertical" onFinish={onFinish} initialValues={{ rating: 5 }}>
        <Form.Item name="satisfied" label={t('public.satisfied')} rules={[{ required: true, message: t('forms.required') }]}>
          <Radio.Group>
            <Radio value={true}>{t('public.satisfiedYes')}</Radio>
            <Radio value={false}>{t('public.satisfiedNo')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="rating" label={t('public.rating')} rules={[{ required: true, message: t('forms.required') }]}>
          <Rate count={5} />
        </Form.Item>
        <Form.Item name="comment" label={t('public.comment')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {mutation.isError ? <ErrorResult error={mutation.error} compact /> : null}
        <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
          {t('common.submit')}
        </Button>
      </Form>
    </Card>
  );
}
