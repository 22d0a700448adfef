import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { unitCreateKindValues, type UnitCreate, type UnitOut } from '@/api/generated/openapi';
import { directoryQueries } from '@/features/directory';
import { adminKeys } from '../api/admin-keys';
import { createUnit, updateUnit } from '../api/units-api';
import { useModalForm, useRequired } from '../hooks/use-modal-form';
import { FormModal } from './form-modal';

interface Props {
  open: boolean;
  /** the unit being edited; null when creating */
  unit: UnitOut | null;
  /** every unit, for the parent choice */
  units: UnitOut[];
  onClose: () => void;
}

/** The one form of a unit: code (fixed once created), name, kind, parent. */
export function UnitFormModal({ open, unit, units, onClose }: Props) {
  const { t } = useTranslation();
  const { modal } = useModalForm<UnitCreate>({
    save: (values) => {
      const parent_id = values.parent_id ?? null;
      return unit
        ? updateUnit(unit, { name: values.name.trim(), kind: values.kind, parent_id })
        : createUnit({ code: values.code.trim(), name: values.name.trim(), kind: values.kind, parent_id });
    },
    onClose,
    invalidate: [adminKeys.units(), directoryQueries.all()],
    staleKey: adminKeys.units(),
  });
  const required = useRequired();
  const initial: Partial<UnitCreate> = unit
    ? { code: unit.code, name: unit.name, kind: unit.kind as UnitCreate['kind'], parent_id: unit.parent_id }
    : { kind: 'department' };
  const parents = units.filter((u) => u.id !== unit?.id).map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }));

  return (
    <FormModal<UnitCreate>
      {...modal}
      open={open}
      title={unit ? t('admin.units.edit') : t('admin.units.create')}
      initialValues={initial}
    >
      <Form.Item name="code" label={t('admin.units.code')} rules={required}>
        <Input disabled={unit !== null} />
      </Form.Item>
      <Form.Item name="name" label={t('admin.units.name')} rules={required}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={t('admin.units.kind')} rules={required}>
        <Select options={unitCreateKindValues.map((k) => ({ value: k, label: t(`admin.unitKinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="parent_id" label={t('admin.units.parent')}>
        <Select allowClear showSearch optionFilterProp="label" options={parents} />
      </Form.Item>
    </FormModal>
  );
}
