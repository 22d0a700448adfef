import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrorList } from '@/api/problem';
import { useErrorNotice } from '@/shared/lib/use-error-notice';
import { issueQueries } from '../api/issue-queries';
import type { IssueFilters } from '../lib/ledger-query';
import { createSavedView, deleteSavedView } from '../api/ledger-api';
import { filtersOfView, sameFilters, viewFiltersOf } from '../lib/ledger-query';

interface Props {
  value: IssueFilters;
  onChange: (next: IssueFilters) => void;
}

/** 常用筛选: the user's saved sets of filters (kept by issues-api per user), to apply, save and delete. */
export function SavedViews({ value, onChange }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  const views = useQuery(issueQueries.savedViews());
  const [naming, setNaming] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  const current = (views.data ?? []).find((v) => sameFilters(filtersOfView(v), value));
  const refresh = () => queryClient.invalidateQueries({ queryKey: issueQueries.savedViews().queryKey });
  const create = useMutation({ mutationFn: createSavedView, onSuccess: refresh });
  const remove = useMutation({ mutationFn: deleteSavedView, onSuccess: refresh });

  const save = async () => {
    const { name } = await form.validateFields();
    try {
      await create.mutateAsync({ name: name.trim(), filters: viewFiltersOf(value) });
      void message.success(t('ledger.viewSaved'));
      setNaming(false);
      form.resetFields();
    } catch (error) {
      form.setFields(fieldErrorList(error) as Parameters<typeof form.setFields>[0]);
      notifyError(error);
    }
  };

  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <Select
        allowClear
        aria-label={t('ledger.savedViews')}
        placeholder={t('ledger.savedViews')}
        loading={views.isPending}
        value={current?.id}
        onChange={(id?: string) => {
          const view = views.data?.find((v) => v.id === id);
          onChange(view ? filtersOfView(view) : {});
        }}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
        style={{ width: 220 }}
        notFoundContent={t('ledger.noViews')}
      />
      <Button onClick={() => setNaming(true)} disabled={current !== undefined}>
        {t('ledger.saveView')}
      </Button>
      {current ? (
        <Popconfirm
          title={t('ledger.deleteViewConfirm', { name: current.name })}
          okText={t('ledger.deleteView')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => remove.mutateAsync(current.id).then(() => void message.success(t('ledger.viewDeleted')), notifyError)}
        >
          <Button danger type="text">
            {t('ledger.deleteView')}
          </Button>
        </Popconfirm>
      ) : null}
      <Modal
        open={naming}
        title={t('ledger.saveView')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: create.isPending }}
        onOk={() => void save().catch(() => undefined)}
        onCancel={() => setNaming(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="name"
            label={t('ledger.viewName')}
            rules={[{ required: true, whitespace: true, message: t('forms.required') }, { max: 60 }]}
          >
            <Input placeholder={t('ledger.viewNamePlaceholder')} maxLength={60} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
