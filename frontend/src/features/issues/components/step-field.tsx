import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoUnitOut, ExtensionOut, IssueDetail } from '@/api/generated/openapi';
import { useUnits } from '@/features/directory';
import { todayInShanghai } from '@/shared/lib/overdue';
import { RETURN_REASONS, type FieldSpec } from '../api/issue-actions';
import { extensionDayDisabled } from '../lib/deadline-presets';
import { DeadlineField } from './deadline-field';

interface Props {
  field: FieldSpec;
  extensionRequests: ExtensionOut[];
  coUnits: CoUnitOut[];
  /** the issue the step is taken on (the deadline in force, for an extension) */
  issue?: Pick<IssueDetail, 'deadline'> | undefined;
}

interface ControlContext {
  t: TFunction;
  unitOptions: { value: string; label: string }[];
  coUnits: CoUnitOut[];
  deadline: string | null | undefined;
}

/**
 * The input for a field kind. A plain function, not a component: Form.Item binds
 * id/value/onChange to its direct child, so the antd control must be that child.
 */
function control(field: FieldSpec, { t, unitOptions, coUnits, deadline }: ControlContext): ReactElement {
  switch (field.kind) {
    case 'text':
      return <Input />;
    case 'textarea':
      return <Input.TextArea rows={3} />;
    case 'percent':
      return <InputNumber min={0} max={100} style={{ width: 120 }} />;
    case 'date':
      return <DatePicker />;
    case 'deadline':
      return <DeadlineField />;
    case 'extension_date': {
      const today = todayInShanghai();
      return <DatePicker disabledDate={(d) => extensionDayDisabled(d.format('YYYY-MM-DD'), deadline, today)} style={{ width: 240 }} />;
    }
    case 'unit':
      return <Select showSearch optionFilterProp="label" options={unitOptions} />;
    case 'units':
      return <Select mode="multiple" optionFilterProp="label" options={unitOptions} />;
    case 'return_reason':
      return <Select options={RETURN_REASONS.map((r) => ({ value: r, label: t(`returnReasons.${r}`) }))} />;
    case 'approved':
      return (
        <Radio.Group>
          <Radio value={true}>{t('ledger.approve')}</Radio>
          <Radio value={false}>{t('ledger.deny')}</Radio>
        </Radio.Group>
      );
    case 'extension_request':
      // the request decided is shown above the form (StepModal); the id travels hidden
      return <Input type="hidden" />;
    case 'co_unit': {
      // Only a part not yet filed or waived can be waived.
      const open = new Set(coUnits.filter((c) => c.status === 'pending' || c.status === 'accepted').map((c) => c.unit_id));
      return <Select options={unitOptions.filter((o) => open.has(o.value))} />;
    }
  }
}

/** One form item of a workflow step, by the field's kind. */
export function StepField({ field, coUnits, issue }: Props) {
  const { t } = useTranslation();
  const { options } = useUnits();
  const hidden = field.kind === 'extension_request';
  const label = field.name === 'note' ? t('ledger.acceptNote') : t(`fields.${field.name}`);
  const extra = field.kind === 'extension_date' && issue?.deadline ? t('ledger.extensionCurrent', { date: issue.deadline }) : undefined;
  return (
    <Form.Item
      name={field.name}
      label={hidden ? undefined : label}
      hidden={hidden}
      extra={extra}
      rules={field.required ? [{ required: true, message: t('forms.required') }] : []}
    >
      {control(field, { t, unitOptions: options, coUnits, deadline: issue?.deadline })}
    </Form.Item>
  );
}
