import { Button, DatePicker, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useWorkCalendar } from '@/features/deadlines';
import { todayInShanghai } from '@/shared/lib/overdue';
import { deadlinePresets, presetYears } from '../lib/deadline-presets';

interface Props {
  value?: Dayjs | null;
  onChange?: (value: Dayjs | null) => void;
  id?: string;
  /** tests pin today (YYYY-MM-DD, Asia/Shanghai) */
  today?: string;
}

/**
 * 整改时限 for 交办: a date picker and presets of 5, 10, 15 and 30 working days from today, each showing the date
 * it gives on notify-api's working-day calendar (holidays, 调休). A form control: Form.Item binds value/onChange.
 */
export function DeadlineField({ value, onChange, id, today = todayInShanghai() }: Props) {
  const { t } = useTranslation();
  const { calendar, ready } = useWorkCalendar(presetYears(today));
  const presets = deadlinePresets(today, calendar);
  const chosen = value ? value.format('YYYY-MM-DD') : null;
  return (
    <Space direction="vertical" size={6} style={{ width: '100%' }}>
      <DatePicker
        id={id}
        value={value ?? null}
        onChange={(d) => onChange?.(d)}
        disabledDate={(d) => d.format('YYYY-MM-DD') < today}
        style={{ width: '100%', maxWidth: 240 }}
      />
      <Space wrap size={[6, 6]} data-testid="deadline-presets">
        {presets.map((p) => (
          <Button
            key={p.workingDays}
            size="small"
            disabled={!ready}
            type={chosen === p.date ? 'primary' : 'default'}
            onClick={() => onChange?.(dayjs(p.date))}
          >
            {t('ledger.preset', { count: p.workingDays, date: dayjs(p.date).format(t('ledger.presetDateFormat')) })}
          </Button>
        ))}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('ledger.presetHint')}
      </Typography.Text>
    </Space>
  );
}
