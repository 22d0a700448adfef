import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Progress, Select, Space, Switch, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssigneeOut, IssueDetail, SubtaskOut } from '@/api/generated/openapi';
import { fieldErrorList } from '@/api/problem';
import { ErrorResult } from '@/shared/components/error-result';
import { formatDate } from '@/shared/lib/format';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { addSubtask, nameResponsible, peopleQueries, reportSubtaskProgress, updateSubtask } from '../api/people-api';

/** After any change of people or sub-tasks: the item (its roll-up), its timeline, the lists ("mine"). */
function useRefreshIssues() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['issues'] });
}

/** A unit's active staff, by display name (never the account name). */
function StaffSelect({ unitId, value, onChange, allowClear, id, label }: {
  unitId: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  allowClear?: boolean;
  id?: string;
  label?: string;
}) {
  const { t } = useTranslation();
  const staff = useQuery({ ...peopleQueries.staff(unitId), enabled: unitId !== '' });
  return (
    <Select
      id={id}
      aria-label={label}
      showSearch
      allowClear={allowClear}
      optionFilterProp="label"
      placeholder={t('people.choose')}
      loading={staff.isPending && unitId !== ''}
      value={value ?? undefined}
      onChange={(next?: string) => onChange?.(next ?? null)}
      options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.display_name }))}
      style={{ width: '100%', maxWidth: 260 }}
    />
  );
}

/** 责任人: each unit with a part of the item (lead first) and the person it named; a unit names its own. */
export function ResponsiblePeople({ issue }: { issue: IssueDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const refresh = useRefreshIssues();
  const query = useQuery(peopleQueries.assignees(issue.id));
  const mutation = useMutation({
    mutationFn: ({ unitId, userId }: { unitId: string; userId: string | null }) => nameResponsible(issue.id, unitId, userId),
    onSuccess: (_data, { userId }) => {
      void message.success(t(userId ? 'people.named' : 'people.cleared'));
      void refresh();
    },
    onError: notifyError,
  });
  if (query.isError) return <ErrorResult error={query.error} compact onRetry={() => void query.refetch()} />;
  return (
    <List
      size="small"
      loading={query.isPending}
      dataSource={query.data ?? []}
      locale={{ emptyText: t('people.noUnits') }}
      renderItem={(part: AssigneeOut) => (
        <List.Item data-testid={`responsible-${part.unit_id}`}>
          <Space direction="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
            <span>
              {part.unit_name} <Tag>{t(`people.${part.relation}`)}</Tag>
            </span>
            {part.can_name ? (
              <StaffSelect
                unitId={part.unit_id}
                label={t('people.responsibleOf', { unit: part.unit_name })}
                value={part.user_id}
                allowClear
                onChange={(userId) => mutation.mutate({ unitId: part.unit_id, userId })}
              />
            ) : (
              <Typography.Text type={part.display_name ? undefined : 'secondary'}>
                {part.display_name ?? t('people.notNamed')}
              </Typography.Text>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

interface SubtaskValues {
  unit_id?: string;
  title?: string;
  assignee_id?: string | null;
  deadline?: Dayjs | null;
  note?: string;
  percent?: number;
  done?: boolean;
}

type Editing = { kind: 'add' } | { kind: 'edit'; subtask: SubtaskOut } | { kind: 'progress'; subtask: SubtaskOut };

/** The add/edit/progress form of a sub-task; a 422's field errors land on its fields. */
function SubtaskModal({ issue, editing, units, onClose }: {
  issue: IssueDetail;
  editing: Editing | null;
  units: AssigneeOut[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const refresh = useRefreshIssues();
  const [form] = Form.useForm<SubtaskValues>();
  const unitId = Form.useWatch('unit_id', form) ?? (editing && editing.kind !== 'add' ? editing.subtask.unit_id : units[0]?.unit_id ?? '');
  const mutation = useMutation({
    mutationFn: async (values: SubtaskValues) => {
      const deadline = values.deadline ? values.deadline.format('YYYY-MM-DD') : undefined;
      if (!editing) return null;
      if (editing.kind === 'add') {
        return addSubtask(issue.id, {
          unit_id: values.unit_id ?? unitId,
          title: values.title ?? '',
          assignee_id: values.assignee_id ?? '',
          deadline: deadline ?? '',
          note: values.note || null,
        });
      }
      if (editing.kind === 'edit') {
        return updateSubtask(issue.id, editing.subtask.id, {
          title: values.title,
          assignee_id: values.assignee_id ?? undefined,
          deadline,
        });
      }
      return reportSubtaskProgress(issue.id, editing.subtask.id, {
        percent: values.done ? 100 : values.percent ?? 0,
        note: values.note || null,
        done: values.done ?? false,
      });
    },
  });
  const submit = async () => {
    const values = await form.validateFields();
    try {
      await mutation.mutateAsync(values);
      void message.success(t('common.done'));
      void refresh();
      onClose();
    } catch (error) {
      form.setFields(fieldErrorList(error).map((f) => ({ errors: f.errors, name: f.name.at(-1) as keyof SubtaskValues })));
      notifyError(error);
    }
  };
  const initial: SubtaskValues =
    editing?.kind === 'edit'
      ? { title: editing.subtask.title, assignee_id: editing.subtask.assignee_id, deadline: dayjs(editing.subtask.deadline) }
      : editing?.kind === 'progress'
        ? { percent: editing.subtask.percent, note: editing.subtask.note ?? '', done: editing.subtask.done }
        : { unit_id: units[0]?.unit_id };
  const latest = issue.deadline;
  const required = [{ required: true, message: t('people.required') }];
  const title = editing ? t(`people.${editing.kind}`) : '';
  return (
    <Modal
      open={editing !== null}
      title={title}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initial}>
        {editing?.kind === 'progress' ? (
          <>
            <Form.Item name="percent" label={t('people.percent')} rules={required}>
              <InputNumber min={0} max={100} step={10} suffix="%" style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="done" label={t('people.done')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="note" label={t('people.progressNote')}>
              <Input.TextArea rows={3} maxLength={5000} />
            </Form.Item>
          </>
        ) : (
          <>
            {editing?.kind === 'add' && units.length > 1 ? (
              <Form.Item name="unit_id" label={t('people.unit')} rules={required}>
                <Select
                  options={units.map((u) => ({ value: u.unit_id, label: u.unit_name }))}
                  onChange={() => form.setFieldValue('assignee_id', null)}
                />
              </Form.Item>
            ) : null}
            <Form.Item name="title" label={t('people.title')} rules={required}>
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item name="assignee_id" label={t('people.assignee')} rules={required}>
              <StaffSelect unitId={unitId} />
            </Form.Item>
            <Form.Item
              name="deadline"
              label={t('people.deadline')}
              rules={required}
              extra={latest ? t('people.deadlineHint', { date: formatDate(latest) }) : undefined}
            >
              <DatePicker
                style={{ width: '100%', maxWidth: 240 }}
                disabledDate={(d) => latest !== null && d.format('YYYY-MM-DD') > latest}
              />
            </Form.Item>
            {editing?.kind === 'add' ? (
              <Form.Item name="note" label={t('people.note')}>
                <Input.TextArea rows={2} maxLength={5000} />
              </Form.Item>
            ) : null}
          </>
        )}
      </Form>
    </Modal>
  );
}

/** 子任务: the units' pieces of the item for their people, each with its own deadline and progress, rolled up. */
export function IssueSubtasks({ issue }: { issue: IssueDetail }) {
  const { t } = useTranslation();
  const subtasks = useQuery(peopleQueries.subtasks(issue.id));
  const assignees = useQuery(peopleQueries.assignees(issue.id));
  const [editing, setEditing] = useState<Editing | null>(null);
  const writable = (assignees.data ?? []).filter((a) => a.can_name);
  if (subtasks.isError) return <ErrorResult error={subtasks.error} compact onRetry={() => void subtasks.refetch()} />;
  const rows = subtasks.data ?? [];
  return (
    <div data-testid="issue-subtasks">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        {issue.subtask_progress !== null && issue.subtask_progress !== undefined ? (
          <Typography.Text data-testid="subtask-rollup">
            {t('people.rollup', { percent: issue.subtask_progress, done: issue.subtask_done ?? 0, total: issue.subtask_total ?? 0 })}
          </Typography.Text>
        ) : (
          <span />
        )}
        {writable.length > 0 ? (
          <Button size="small" type="primary" onClick={() => setEditing({ kind: 'add' })}>
            {t('people.add')}
          </Button>
        ) : null}
      </Space>
      {rows.length === 0 && !subtasks.isPending ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('people.noSubtasks')} />
      ) : (
        <List
          size="small"
          loading={subtasks.isPending}
          dataSource={rows}
          renderItem={(s: SubtaskOut) => (
            <List.Item data-testid="subtask-item">
              <Space direction="vertical" size={2} style={{ width: '100%', minWidth: 0 }}>
                <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
                  {s.title}
                </Typography.Text>
                <Space wrap size={[8, 2]}>
                  <Typography.Text type="secondary">{s.unit_name}</Typography.Text>
                  <span>{s.assignee_name ?? '—'}</span>
                  <span>{t('people.due', { date: formatDate(s.deadline) })}</span>
                  {s.done ? <Tag color="green">{t('people.doneTag')}</Tag> : null}
                  {s.past_item_deadline ? <Tag color="red">{t('people.pastItemDeadline')}</Tag> : null}
                </Space>
                <Progress percent={s.percent} size="small" status={s.done ? 'success' : 'normal'} />
                {s.note ? (
                  <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {s.note}
                  </Typography.Text>
                ) : null}
                {s.can_edit ? (
                  <Space size={8}>
                    <Button size="small" onClick={() => setEditing({ kind: 'progress', subtask: s })}>
                      {t('people.progress')}
                    </Button>
                    <Button size="small" onClick={() => setEditing({ kind: 'edit', subtask: s })}>
                      {t('people.edit')}
                    </Button>
                  </Space>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      )}
      <SubtaskModal issue={issue} editing={editing} units={writable} onClose={() => setEditing(null)} />
    </div>
  );
}
