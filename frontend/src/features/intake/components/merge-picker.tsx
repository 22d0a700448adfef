import { useQuery } from '@tanstack/react-query';
import { Empty, Input, Radio, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGet } from '@/api/client';
import type { PageIssueOut } from '@/api/generated/openapi';
import { intakeQueries } from '../api/intake-api';

interface Props {
  submissionId: string;
  value?: string;
  onChange?: (issueId: string) => void;
}

interface Choice {
  id: string;
  code: string;
  title: string;
  note: string;
}

/** Pick the issue a submission repeats: the five most similar open ones, or any found by searching. */
export function MergePicker({ submissionId, value, onChange }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const similar = useQuery(intakeQueries.similar(submissionId));
  const search = useQuery({
    queryKey: ['intake', 'merge-search', q] as const,
    queryFn: ({ signal }) => apiGet<PageIssueOut>('/api/v1/issues', { q, limit: 10 }, signal),
    enabled: q.length > 0,
  });
  const choices: Choice[] = [
    ...(similar.data ?? []).map((s) => ({ id: s.id, code: s.code, title: s.title, note: `${t('intake.score')} ${Math.round(s.score * 100)}%` })),
    ...(search.data?.items ?? []).map((i) => ({ id: i.id, code: i.code, title: i.title, note: t(`status.${i.status}`, { defaultValue: i.status }) })),
  ].filter((c, i, all) => all.findIndex((o) => o.id === c.id) === i);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>{t('intake.similar')}</Typography.Text>
      {similar.isPending ? <Spin size="small" /> : null}
      {!similar.isPending && choices.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.noSimilar')} /> : null}
      <Radio.Group value={value} onChange={(e) => onChange?.(String(e.target.value))} data-testid="merge-choices">
        <Space direction="vertical">
          {choices.map((c) => (
            <Radio key={c.id} value={c.id}>
              <Typography.Text code>{c.code}</Typography.Text> {c.title} <Tag>{c.note}</Tag>
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Input.Search placeholder={t('intake.search')} allowClear onSearch={(v) => setQ(v.trim())} loading={search.isFetching} />
    </Space>
  );
}
