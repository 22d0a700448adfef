import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

// 督办 is the yellow card, 通报 the red card, 约谈/问责 the dark one
const COLORS: Record<number, string> = { 0: 'blue', 1: 'orange', 2: 'gold', 3: 'red', 4: '#262626' };

export function EscalationLevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[level] ?? 'default'} data-level={level}>
      {t(`escalations.levels.${level}`, { defaultValue: String(level) })}
    </Tag>
  );
}
