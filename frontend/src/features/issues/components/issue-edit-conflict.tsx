import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Typography } from 'antd';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssueOut } from '@/api/generated/openapi';
import { directoryQueries, useUnits } from '@/features/directory';
import { editPatch } from '../api/issue-patch';
import { ISSUE_FIELD_LABELS, issueFormValues, type IssueFormValues } from './issue-form';

/** The editable fields whose stored value differs between two versions (empty, null and absent are equal). */
export function changedFields(before: IssueOut, after: IssueOut): (keyof IssueFormValues)[] {
  return Object.keys(editPatch(issueFormValues(before), issueFormValues(after))) as (keyof IssueFormValues)[];
}

interface Props {
  /** the version the user's edits were made on */
  base: IssueOut;
  /** the newer stored version that made the save fail with 412 */
  latest: IssueOut;
  busy: boolean;
  onLoadLatest: () => void;
  onSaveMine: () => void;
  alertRef?: Ref<HTMLDivElement>;
}

/** Tells the user someone else saved the issue meanwhile, what changed, and lets them choose. */
export function IssueEditConflict({ base, latest, busy, onLoadLatest, onSaveMine, alertRef }: Props) {
  const { t } = useTranslation();
  const campaign = useQuery(directoryQueries.campaign(latest.campaign_id));
  const { cityName } = useUnits();
  const changed = changedFields(base, latest);
  const values = issueFormValues(latest);

  const shown = (name: keyof IssueFormValues): string => {
    const value = values[name];
    if (value === undefined || value === '') return t('issues.conflictEmpty');
    if (name === 'kind') return t(`kind.${value}`);
    if (name === 'category_id') return campaign.data?.categories.find((c) => c.id === value)?.name ?? value;
    if (name === 'city') return cityName(value);
    return value;
  };

  return (
    <div ref={alertRef} style={{ maxWidth: 720, marginBottom: 16 }}>
      <Alert
        type="warning"
        showIcon
        role="alert"
        message={t('issues.conflictTitle')}
        description={
          <div>
            <Typography.Paragraph>
              {changed.length > 0 ? t('issues.conflictChanged') : t('issues.conflictNoFieldChanged')}
            </Typography.Paragraph>
            {changed.length > 0 ? (
              <ul data-testid="conflict-fields">
                {changed.map((name) => (
                  <li key={name} style={{ whiteSpace: 'pre-wrap' }}>
                    <Typography.Text strong>{t(ISSUE_FIELD_LABELS[name])}</Typography.Text>
                    {t('issues.conflictNewValue', { value: shown(name) })}
                  </li>
                ))}
              </ul>
            ) : null}
            <Typography.Paragraph type="secondary">{t('issues.conflictChoose')}</Typography.Paragraph>
            <Space wrap>
              <Button onClick={onLoadLatest} disabled={busy}>
                {t('issues.loadLatest')}
              </Button>
              <Button type="primary" danger onClick={onSaveMine} loading={busy}>
                {t('issues.saveMine')}
              </Button>
            </Space>
          </div>
        }
      />
    </div>
  );
}
