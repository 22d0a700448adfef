import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { UNIT_KINDS, type DirectoryUnit, type UnitCreate, type UnitKind } from '@/api/types';
import { directoryQueries } from '@/features/directory';
import { adminKeys } from '../api/admin-keys';
import { createUnit, updateUnit } from '../api/units-api';
import { useFormErrors } from '../hooks/use-form-errors';

interface Props {
  open: boolean;
  /** the unit being edited; null when creating */
  unit: DirectoryUnit | null;
  /** every unit, for the parent choice */
  units: DirectoryUnit[];
  onClose: () => void;
}

/** The one form of a unit: code (fixed once created), name, kind, parent. */
export function UnitFormModal({ open, unit, units, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UnitCreate>();
  const showErrors = useFormErrors(form, adminKeys.units());
  const mutation = useMutation({
    mutationFn: (values: UnitCreate) => {
      const parent_id = values.parent_id ?? null;
      return unit
        ? updateUnit(unit, { name: values.name.trim(), kind: values.kind, parent_id })
        : createUnit({ code: values.code.trim(), name: values.name.trim(), kind: values.kind, parent_id });
    },
    onSuccess: async () => {
      void message.success(t('common.saved'));
      onClose();
      await queryClient.invalidateQueries({ queryKey: adminKeys.units() });
      // the rest of the SPA reads unit names from the directory cache
      await queryClient.invalidateQueries({ queryKey: directoryQueries.all() });
    },
    onError: showErrors,
  });
  const required = [{ required: true, message: t('forms.required') }];
  const initial: Partial<UnitCreate> = unit
    ? { code: unit.code, name: unit.name, kind: unit.kind as UnitKind, parent_id: unit.parent_id }
    : { kind: 'department' };
  const parents = units.filter((u) => u.id !== unit?.id).map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }));

  return (
    <Modal
      open={open}
      title={unit ? t('admin.units.edit') : t('admin.units.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending }}
      onOk={() => void form.validateFields().then((v) => mutation.mutate(v), () => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<UnitCreate> form={form} layout="vertical" preserve={false} initialValues={initial}>
        <Form.Item name="code" label={t('admin.units.code')} rules={required}>
          <Input disabled={unit !== null} />
        </Form.Item>
        <Form.Item name="name" label={t('admin.units.name')} rules={required}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.units.kind')} rules={required}>
          <Select options={UNIT_KINDS.map((k) => ({ value: k, label: t(`admin.unitKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="parent_id" label={t('admin.units.parent')}>
          <Select allowClear showSearch optionFilterProp="label" options={parents} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
