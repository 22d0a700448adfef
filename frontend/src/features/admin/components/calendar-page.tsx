import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDayOut, CalendarOut, CalendarUpdate } from '@/api/generated/openapi';
import { calendarQueries } from '@/features/deadlines';
import { ErrorResult } from '@/shared/components/error-result';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { adminKeys } from '../api/admin-keys';
import { notifySettingsQueries, putCalendar } from '../api/notify-settings-api';
import { ResponsiveTable } from '@/shared/components/responsive-table';

interface OverrideValues {
  date: Dayjs;
  is_working: boolean;
  note?: string;
}

/** The year's admin overrides as the PUT wants them: the API replaces all of them at once. */
function overridesOf(calendar: CalendarOut): NonNullable<CalendarUpdate['overrides']> {
  return calendar.days.filter((d) => d.source === 'override').map(({ date, is_working, note }) => ({ date, is_working, note }));
}

function useSaveCalendar(year: number) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: putCalendar,
    onSuccess: (saved) => {
      void message.success(t('common.saved'));
      queryClient.setQueryData(notifySettingsQueries.calendar(year).queryKey, saved);
    },
    onError: useErrorNotice(),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.calendar() });
      // every traffic light counts working days on this calendar
      await queryClient.invalidateQueries({ queryKey: calendarQueries.all() });
    },
  });
}

interface AddProps {
  year: number;
  /** `done` runs once the override is stored, so a refused one stays in the form to be corrected */
  onAdd: (values: OverrideValues, done: () => void) => void;
  saving: boolean;
}

function AddOverride({ year, onAdd, saving }: AddProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OverrideValues>();
  return (
    <Form<OverrideValues>
      form={form}
      name="calendar-override"
      layout="inline"
      initialValues={{ is_working: false, note: '' }}
      onFinish={(v) => onAdd(v, () => form.resetFields())}
      style={{ marginBottom: 16, rowGap: 8 }}
    >
      <Form.Item name="date" label={t('admin.calendar.date')} rules={[{ required: true, message: t('forms.required') }]}>
        <DatePicker
          format="YYYY-MM-DD"
          defaultPickerValue={dayjs(`${year}-01-01`)}
          disabledDate={(d) => d.year() !== year}
        />
      </Form.Item>
      <Form.Item name="is_working" label={t('admin.calendar.kind')}>
        <Select
          style={{ width: 140 }}
          options={[
            { value: false, label: t('admin.calendar.dayOff') },
            { value: true, label: t('admin.calendar.workday') },
          ]}
        />
      </Form.Item>
      <Form.Item name="note" label={t('admin.calendar.note')}>
        <Input maxLength={200} style={{ width: 200 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {t('admin.calendar.add')}
      </Button>
    </Form>
  );
}

/** 工作日历: a year's exceptions to Monday-to-Friday (official and admin overrides), and marking a year complete. */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const [year, setYear] = useState(() => dayjs().year());
  const query = useQuery(notifySettingsQueries.calendar(year));
  const save = useSaveCalendar(year);
  const calendar = query.data;
  const put = (overrides: CalendarUpdate['overrides'], complete = false, done?: () => void) =>
    save.mutate({ year, overrides, complete }, { onSuccess: done });
  const add = (v: OverrideValues, done: () => void) => {
    if (!calendar) return;
    const date = v.date.format('YYYY-MM-DD');
    const others = overridesOf(calendar).filter((d) => d.date !== date);
    const overrides = [...others, { date, is_working: v.is_working, note: v.note?.trim() ?? '' }];
    put(overrides.sort((a, b) => a.date.localeCompare(b.date)), false, done);
  };

  const columns: ColumnsType<CalendarDayOut> = [
    { title: t('admin.calendar.date'), dataIndex: 'date', width: 130 },
    { title: t('admin.calendar.weekday'), key: 'weekday', dataIndex: 'date', width: 90, render: (d: string) => t(`admin.calendar.weekdays.${dayjs(d).day()}`) },
    {
      title: t('admin.calendar.kind'),
      dataIndex: 'is_working',
      width: 120,
      render: (w: boolean) => (w ? <Tag color="blue">{t('admin.calendar.workday')}</Tag> : <Tag color="red">{t('admin.calendar.dayOff')}</Tag>),
    },
    {
      title: t('admin.calendar.source'),
      dataIndex: 'source',
      width: 120,
      render: (s: string) => t(`admin.calendar.sources.${s}`, { defaultValue: s }),
    },
    // an official day's English name in English; an override has one note, the same in both
    { title: t('admin.calendar.note'), dataIndex: 'note', render: (n: string, row) => (english && row.note_en ? row.note_en : n) || '—' },
    {
      key: 'actions',
      title: t('issues.actions'),
      width: 100,
      render: (_: unknown, row) =>
        row.source === 'override' && calendar ? (
          <Popconfirm
            title={t('admin.calendar.confirmRemove', { date: row.date })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => put(overridesOf(calendar).filter((d) => d.date !== row.date))}
          >
            <Button size="small" danger>
              {t('admin.delete')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <div>
      <Typography.Title level={3}>{t('admin.nav.calendar')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker
          picker="year"
          allowClear={false}
          aria-label={t('admin.calendar.year')}
          value={dayjs(`${year}-01-01`)}
          onChange={(d: Dayjs | null) => d && setYear(d.year())}
          disabledDate={(d) => d.year() < 2000 || d.year() > 2100}
        />
      </Space>
      {(english ? calendar?.warnings_en : calendar?.warnings)?.map((w) => (
        <Alert key={w} type="warning" showIcon style={{ marginBottom: 8 }} message={w} />
      ))}
      {calendar?.provisional ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('admin.calendar.provisional', { year })}
          description={t('admin.calendar.provisionalHint')}
          action={
            <Popconfirm
              title={t('admin.calendar.confirmComplete', { year })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => put(overridesOf(calendar), true)}
            >
              <Button size="small">{t('admin.calendar.markComplete')}</Button>
            </Popconfirm>
          }
        />
      ) : null}
      {query.isError ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <AddOverride key={year} year={year} onAdd={add} saving={save.isPending} />
          <ResponsiveTable<CalendarDayOut>
            rowKey="date" card={{ title: 'date', status: ['is_working'], actions: 'actions' }}
            size="small"
            columns={columns}
            dataSource={calendar?.days ?? []}
            loading={query.isPending}
            pagination={false}
            scroll={{ x: 700 }}
          />
        </>
      )}
    </div>
  );
}
