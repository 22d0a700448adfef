import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoUnit, ExtensionRequest } from '@/api/types';
import { useUnits } from '@/features/directory';
import { RETURN_REASONS, type FieldSpec } from '../api/issue-actions';

interface Props {
  field: FieldSpec;
  extensionRequests: ExtensionRequest[];
  coUnits: CoUnit[];
}

interface ControlContext {
  t: TFunction;
  unitOptions: { value: string; label: string }[];
  extensionRequests: ExtensionRequest[];
  coUnits: CoUnit[];
}

/**
 * The input for a field kind. A plain function, not a component: Form.Item binds
 * id/value/onChange to its direct child, so the antd control must be that child.
 */
function control(field: FieldSpec, { t, unitOptions, extensionRequests, coUnits }: ControlContext): ReactElement {
  switch (field.kind) {
    case 'text':
      return <Input />;
    case 'textarea':
      return <Input.TextArea rows={3} />;
    case 'percent':
      return <InputNumber min={0} max={100} style={{ width: 120 }} />;
    case 'date':
      return <DatePicker />;
    case 'unit':
      return <Select showSearch optionFilterProp="label" options={unitOptions} />;
    case 'units':
      return <Select mode="multiple" optionFilterProp="label" options={unitOptions} />;
    case 'return_reason':
      return <Select options={RETURN_REASONS.map((r) => ({ value: r, label: t(`returnReasons.${r}`) }))} />;
    case 'approved':
      return (
        <Radio.Group>
          <Radio value={true}>{t('common.yes')}</Radio>
          <Radio value={false}>{t('common.no')}</Radio>
        </Radio.Group>
      );
    case 'extension_request':
      return (
        <Select
          options={extensionRequests
            .filter((r) => r.status === 'pending')
            .map((r) => ({ value: r.id, label: `${r.new_deadline} — ${r.reason}` }))}
        />
      );
    case 'co_unit': {
      // Only a part not yet filed or waived can be waived.
      const open = new Set(coUnits.filter((c) => c.status === 'pending' || c.status === 'accepted').map((c) => c.unit_id));
      return <Select options={unitOptions.filter((o) => open.has(o.value))} />;
    }
  }
}

/** One form item of a workflow step, by the field's kind. */
export function StepField({ field, extensionRequests, coUnits }: Props) {
  const { t } = useTranslation();
  const { options } = useUnits();
  return (
    <Form.Item
      name={field.name}
      label={t(`fields.${field.name}`)}
      rules={field.required ? [{ required: true, message: t('forms.required') }] : []}
    >
      {control(field, { t, unitOptions: options, extensionRequests, coUnits })}
    </Form.Item>
  );
}
