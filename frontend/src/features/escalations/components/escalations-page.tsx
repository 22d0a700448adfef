import { useQuery } from '@tanstack/react-query';
import { Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { useAuth } from '@/features/auth';
import { useUnits } from '@/features/directory';
import { ESCALATION_LEVELS } from '@/shared/lib/escalation-levels';
import { escalationQueries, type EscalationFilters } from '../api/escalation-queries';
import { useEscalationFilters } from '../hooks/use-escalation-filters';
import { NoticeDrawer } from './notice-drawer';
import { NoticeTable } from './notice-table';

/**
 * 督办通知: the numbered notices still to sign first (待签收), then every other escalation; each notice opens in
 * full (number, level, text, issue) and a unit signs it there. A unit sees its own (the API enforces it).
 */
export function EscalationsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { options: unitOptions } = useUnits();
  const { filters, unacknowledgedOnly, set } = useEscalationFilters();
  const [open, setOpen] = useState<EscalationOut | null>(null);
  const isUnit = user?.role === 'unit';
  // a unit user asking for another unit gets 403: never send their filter
  const base: EscalationFilters = { ...filters, unit_id: isUnit ? undefined : filters.unit_id, awaiting_acknowledgement: undefined };
  const waiting = { ...base, awaiting_acknowledgement: true };
  const others = { ...base, awaiting_acknowledgement: false };
  const waitingCount = useQuery({ ...escalationQueries.count(waiting) });
  const othersCount = useQuery({ ...escalationQueries.count(others), enabled: !unacknowledgedOnly });

  return (
    <div>
      <Typography.Title level={3}>{t('escalations.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        {isUnit ? null : (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('escalations.unit')}
            aria-label={t('escalations.unit')}
            style={{ width: 200 }}
            value={filters.unit_id}
            onChange={(v: string | undefined) => set('unit_id', v)}
            options={unitOptions}
          />
        )}
        <Select
          allowClear
          placeholder={t('escalations.level')}
          aria-label={t('escalations.level')}
          style={{ width: 160 }}
          value={filters.level}
          onChange={(v: number | undefined) => set('level', v === undefined ? undefined : String(v))}
          options={ESCALATION_LEVELS.map((level) => ({ value: level, label: t(`escalations.levels.${level}`) }))}
        />
        <Space>
          <span>{t('escalations.unacknowledgedOnly')}</span>
          <Switch
            checked={unacknowledgedOnly}
            onChange={(on) => set('unacknowledged', on ? '1' : undefined)}
            aria-label={t('escalations.unacknowledgedOnly')}
          />
        </Space>
      </Space>
      <section aria-labelledby="notices-waiting">
        <Typography.Title level={4} id="notices-waiting">
          {t('escalations.waitingTitle')}
          {waitingCount.data !== undefined ? ` (${waitingCount.data})` : ''}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {isUnit ? t('escalations.waitingHintUnit') : t('escalations.waitingHint')}
        </Typography.Paragraph>
        <NoticeTable filters={waiting} emptyText={t('escalations.noneWaiting')} onOpen={setOpen} />
      </section>
      {unacknowledgedOnly ? null : (
        <section aria-labelledby="notices-others" style={{ marginTop: 24 }}>
          <Typography.Title level={4} id="notices-others">
            {t('escalations.othersTitle')}
            {othersCount.data !== undefined ? ` (${othersCount.data})` : ''}
          </Typography.Title>
          <NoticeTable filters={others} emptyText={t('escalations.empty')} onOpen={setOpen} />
        </section>
      )}
      <NoticeDrawer escalation={open} onClose={() => setOpen(null)} />
    </div>
  );
}
