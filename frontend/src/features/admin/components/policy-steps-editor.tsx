import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Select, Typography } from 'antd';
import type { FormListFieldData } from 'antd';
import { useTranslation } from 'react-i18next';
import { policyStepAnchorValues, policyStepChannelsValues, policyStepRecipientsValues, type PolicyStep } from '@/api/generated/openapi';
import { useRequired } from '../hooks/use-modal-form';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { ESCALATION_LEVELS } from '@/shared/lib/escalation-levels';

/** A new row: a reminder to the lead unit one working day before the deadline, in the inbox. */
const NEW_STEP: PolicyStep = {
  code: '',
  anchor: 'deadline',
  offset_wd: -1,
  level: 0,
  recipients: ['lead_unit'],
  channels: ['inbox'],
};

const cell = { style: { marginBottom: 0 } };

type StepLabels = Record<string, { zh: string; en: string }>;

/**
 * The steps of a policy as an editable table (inside the policy's Form, under `steps`; a card per step on a
 * phone). Under each step's code its name as people read it (the saved policy's `labels`), never the bare code.
 */
export function PolicyStepsEditor({ labels }: { labels: StepLabels }) {
  const { t, i18n } = useTranslation();
  const nameOf = (code: unknown) => {
    const found = typeof code === 'string' ? labels[code] : undefined;
    return found ? (i18n.language === 'en' ? found.en : found.zh) : null;
  };
  const required = useRequired();
  const label = (field: string, row: FormListFieldData) => `${t(`admin.policy.${field}`)} ${row.name + 1}`;
  const options = (values: readonly (string | number)[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`admin.policy.${prefix}.${v}`) }));

  return (
    <Form.List name="steps">
      {(fields, { add, remove }) => (
        <>
          <ResponsiveTable<FormListFieldData>
            rowKey="key"
            card={{ actions: 'actions' }}
            size="small"
            pagination={false}
            dataSource={fields}
            scroll={{ x: 1100 }}
            columns={[
              {
                key: 'code',
                title: t('admin.policy.code'),
                width: 160,
                render: (_: unknown, row) => (
                  <div>
                    <Form.Item {...cell} name={[row.name, 'code']} rules={required}>
                      <Input aria-label={label('code', row)} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {({ getFieldValue }) => (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {nameOf(getFieldValue(['steps', row.name, 'code']))}
                        </Typography.Text>
                      )}
                    </Form.Item>
                  </div>
                ),
              },
              {
                key: 'anchor',
                title: t('admin.policy.anchor'),
                width: 150,
                render: (_: unknown, row) => (
                  <Form.Item {...cell} name={[row.name, 'anchor']} rules={required}>
                    <Select aria-label={label('anchor', row)} options={options(policyStepAnchorValues, 'anchors')} />
                  </Form.Item>
                ),
              },
              {
                key: 'offset',
                title: t('admin.policy.offset'),
                width: 110,
                render: (_: unknown, row) => (
                  <Form.Item {...cell} name={[row.name, 'offset_wd']} rules={required}>
                    <InputNumber aria-label={label('offset', row)} min={-30} max={60} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                ),
              },
              {
                key: 'level',
                title: t('admin.policy.level'),
                width: 140,
                render: (_: unknown, row) => (
                  <Form.Item {...cell} name={[row.name, 'level']} rules={required}>
                    <Select aria-label={label('level', row)} options={options(ESCALATION_LEVELS, 'levels')} />
                  </Form.Item>
                ),
              },
              {
                key: 'recipients',
                title: t('admin.policy.recipients'),
                render: (_: unknown, row) => (
                  <Form.Item {...cell} name={[row.name, 'recipients']} rules={required}>
                    <Select mode="multiple" aria-label={label('recipients', row)} options={options(policyStepRecipientsValues, 'recipientNames')} />
                  </Form.Item>
                ),
              },
              {
                key: 'channels',
                title: t('admin.policy.channels'),
                render: (_: unknown, row) => (
                  <Form.Item {...cell} name={[row.name, 'channels']} rules={required}>
                    <Select mode="multiple" aria-label={label('channels', row)} options={options(policyStepChannelsValues, 'channelNames')} />
                  </Form.Item>
                ),
              },
              {
                key: 'actions',
                title: t('issues.actions'),
                width: 70,
                render: (_: unknown, row) => (
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={label('removeStep', row)}
                    disabled={fields.length <= 1}
                    onClick={() => remove(row.name)}
                  />
                ),
              },
            ]}
          />
          <Button type="dashed" icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => add({ ...NEW_STEP })}>
            {t('admin.policy.addStep')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
