import type { TFunction } from 'i18next';
import type { EscalationOut } from '@/api/generated/openapi';
import { NUMBERED_LEVELS } from '@/shared/lib/escalation-levels';
import { formatDate } from '@/shared/lib/format';

/** The notice in words, as the unit reads it before signing: to whom, about which issue, which step, what to do. */
export function noticeText(e: EscalationOut, unit: string, t: TFunction, language: string): string {
  const issue = [e.issue_code, e.issue_title ? `「${e.issue_title}」` : null].filter(Boolean).join(' ') || e.issue_id;
  const step = language.startsWith('zh') ? e.label.zh : e.label.en;
  const parts = [
    t('escalations.text.to', { unit }),
    t('escalations.text.about', { issue, level: t(`escalations.levels.${e.level}`, { defaultValue: String(e.level) }), step }),
    e.deadline ? t('escalations.text.deadline', { deadline: formatDate(e.deadline) }) : t('escalations.text.noDeadline'),
    NUMBERED_LEVELS.includes(e.level) && e.number
      ? t('escalations.text.acknowledge', { number: e.number })
      : t('escalations.text.act'),
  ];
  return parts.join('');
}
