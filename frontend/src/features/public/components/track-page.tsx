import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Input, Rate, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { PublicSubmission } from '@/api/types';
import { isApiError } from '@/api/problem';
import { ErrorResult } from '@/shared/components/error-result';
import { PageLoading } from '@/shared/components/page-loading';
import { formatDateTime } from '@/shared/lib/format';
import { publicQueries } from '../api/public-api';
import { FeedbackForm } from './feedback-form';

function statusLabel(status: string, t: (k: string, o?: Record<string, unknown>) => string): string {
  return t(`public.statuses.${status}`, { defaultValue: t(`status.${status}`, { defaultValue: status }) });
}

function SubmissionView({ data }: { data: PublicSubmission }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language.startsWith('en');
  const closed = data.status === 'closed';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('intake.trackingCode')}>
            <Typography.Text code>{data.tracking_code}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('public.titleField')}>{data.title}</Descriptions.Item>
          <Descriptions.Item label={t('public.status')}>
            <Tag color={closed ? 'green' : 'blue'} data-testid="public-status">
              {statusLabel(data.status, t)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('intake.submittedAt')}>{formatDateTime(data.submitted_at)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('public.reply')}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
          {data.public_reply ?? t('public.noReply')}
        </Typography.Paragraph>
      </Card>
      {data.timeline.length > 0 ? (
        <Card size="small" title={t('public.timeline')}>
          <Timeline
            items={data.timeline.map((entry, i) => ({
              key: i,
              children: (
                <div>
                  <Typography.Text type="secondary">{formatDateTime(entry.at)}</Typography.Text>{' '}
                  <Tag>{statusLabel(entry.status, t)}</Tag>
                  <div>{english ? entry.text_en : entry.text}</div>
                </div>
              ),
            }))}
          />
        </Card>
      ) : null}
      {data.feedback ? (
        <Alert
          type="success"
          message={t('public.feedbackGiven')}
          description={
            <span>
              {data.feedback.satisfied ? t('public.satisfiedYes') : t('public.satisfiedNo')}{' '}
              <Rate disabled value={data.feedback.rating} />
            </span>
          }
        />
      ) : null}
      {data.can_feedback ? <FeedbackForm code={data.tracking_code} /> : null}
    </Space>
  );
}

/** Public tracking page: status, public timeline, reply; feedback once closed. */
export function TrackPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const query = useQuery(publicQueries.submission(code));

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4}>{t('public.trackTitle')}</Typography.Title>
      <Input.Search
        key={code}
        defaultValue={code}
        placeholder={t('public.enterCode')}
        aria-label={t('public.enterCode')}
        enterButton={t('common.search')}
        size="large"
        onSearch={(value) => {
          const next = value.trim();
          if (next) void navigate(`/track/${encodeURIComponent(next)}`);
        }}
      />
      {code === '' ? null : query.isPending ? (
        <PageLoading />
      ) : query.isError ? (
        isApiError(query.error) && query.error.status === 404 ? (
          <Alert type="warning" showIcon message={t('public.notFound')} />
        ) : (
          <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
        )
      ) : (
        <SubmissionView data={query.data} />
      )}
    </Space>
  );
}
