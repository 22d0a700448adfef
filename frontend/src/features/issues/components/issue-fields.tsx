import { Descriptions, Progress, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IssueOut } from '@/api/generated/openapi';
import { DeadlineLight } from '@/features/deadlines';
import { useCategories, useUnits } from '@/features/directory';
import { FlaggedTag, OverdueTag, StatusTag } from '@/shared/components/status-tag';
import { formatDate, formatDateTime } from '@/shared/lib/format';
import { isOverdue } from '@/shared/lib/overdue';
import { useIsPhone } from '@/shared/hooks/use-is-phone';

/** Every field of the ledger item. */
export function IssueFields({ issue }: { issue: IssueOut }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const { unitName, cityName } = useUnits();
  const { options: categories } = useCategories(issue.campaign_id);
  const categoryName = issue.category_id
    ? (categories.find((c) => c.value === issue.category_id)?.label ?? issue.category_id)
    : t('issues.uncategorised');
  const text = (v: string | null | undefined) => (v ? <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> : '—');
  return (
    // on a phone each label stands above its value: a label column would leave the value a few characters a line
    <Descriptions bordered size="small" layout={phone ? 'vertical' : 'horizontal'} column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}>
      <Descriptions.Item label={t('issues.code')}>{issue.code}</Descriptions.Item>
      <Descriptions.Item label={t('issues.status')}>
        <Space size={4}>
          <StatusTag status={issue.status} />
          {isOverdue(issue) ? <OverdueTag /> : null}
          {issue.flagged ? <FlaggedTag /> : null}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('issues.kind')}>{t(`kind.${issue.kind}`, { defaultValue: issue.kind })}</Descriptions.Item>
      <Descriptions.Item label={t('issues.source')}>{t(`source.${issue.source}`, { defaultValue: issue.source })}</Descriptions.Item>
      <Descriptions.Item label={t('issues.leadUnit')}>{unitName(issue.lead_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.coUnits')}>
        {issue.co_unit_ids.map((id) => unitName(id)).join('、') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('issues.deadline')}>
        <Space size={[8, 4]} wrap>
          <span>
            {formatDate(issue.deadline)}
            {issue.original_deadline && issue.original_deadline !== issue.deadline
              ? ` (${t('issues.originalDeadline')}: ${formatDate(issue.original_deadline)})`
              : null}
          </span>
          <DeadlineLight deadline={issue.deadline} status={issue.status} />
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('issues.progress')}>
        <Progress percent={issue.progress_percent} size="small" style={{ width: 160 }} />
      </Descriptions.Item>
      <Descriptions.Item label={t('issues.category')}>{categoryName}</Descriptions.Item>
      <Descriptions.Item label={t('issues.city')}>{cityName(issue.city)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.createdAt')}>{formatDateTime(issue.created_at)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.assignedAt')}>{formatDateTime(issue.assigned_at)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.closedAt')}>{formatDateTime(issue.closed_at)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.reopenCount')}>{issue.reopen_count}</Descriptions.Item>
      <Descriptions.Item label={t('issues.returnCount')}>{issue.return_count}</Descriptions.Item>
      <Descriptions.Item label={t('issues.satisfaction')}>
        {issue.satisfaction === true ? t('public.satisfiedYes') : issue.satisfaction === false ? t('public.satisfiedNo') : '—'}
        {issue.rating ? ` (${issue.rating}/5)` : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('issues.description')} span="filled">{text(issue.description)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.cause')} span="filled">{text(issue.cause)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.measures')} span="filled">{text(issue.measures)}</Descriptions.Item>
      <Descriptions.Item label={t('issues.requirements')} span="filled">{text(issue.requirements)}</Descriptions.Item>
    </Descriptions>
  );
}
