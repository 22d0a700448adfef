import { Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import type { PreviewRow, RowError } from '../api/imports-api';

const STATE_COLORS: Record<PreviewRow['state'], string> = { new: 'green', existing: 'default', invalid: 'red' };

export interface ImportPreviewProps {
  preview: PreviewRow[];
  errors: RowError[];
  /** show the cause and measures columns (a unit's own list) */
  withCauses?: boolean;
  /** the row number a person sees: the sheet's, or the line of what they pasted */
  rowLabel?: (row: number) => number;
  /** show the lead unit (by this name) and the deadline each row is assigned with (an office ledger) */
  unitName?: (id: string) => string;
}

/** The rows as the import reads them: new, there already, or in error (in red, each error beside its row). */
export function ImportPreview({ preview, errors, withCauses = false, rowLabel = (row) => row, unitName }: ImportPreviewProps) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const byRow = new Map<number, RowError[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
  const text = (value: string | null | undefined) => (
    <Typography.Text style={{ overflowWrap: 'anywhere' }}>{value ?? ''}</Typography.Text>
  );
  const columns: ColumnsType<PreviewRow> = [
    { key: 'row', title: t('imports.row'), width: 64, render: (_, r) => (phone ? t('imports.rowN', { n: rowLabel(r.row) }) : rowLabel(r.row)) },
    {
      key: 'state',
      title: t('imports.state'),
      width: 88,
      render: (_, r) => <Tag color={STATE_COLORS[r.state]}>{t(`imports.states.${r.state}`)}</Tag>,
    },
    { key: 'title', title: t('issues.titleField'), render: (_, r) => text(r.title || t('imports.noTitle')) },
    ...(withCauses
      ? [
          { key: 'cause', title: t('issues.cause'), render: (_: unknown, r: PreviewRow) => text(r.cause) },
          { key: 'measures', title: t('issues.measures'), render: (_: unknown, r: PreviewRow) => text(r.measures) },
        ]
      : []),
    ...(unitName
      ? [
          { key: 'lead', title: t('imports.fields.lead_unit'), render: (_: unknown, r: PreviewRow) => (r.lead_unit_id ? unitName(r.lead_unit_id) : '') },
          { key: 'deadline', title: t('imports.fields.deadline'), width: 110, render: (_: unknown, r: PreviewRow) => r.deadline ?? '' },
        ]
      : []),
    {
      key: 'errors',
      title: t('imports.errors'),
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          {(byRow.get(r.row) ?? []).map((e) => (
            <Typography.Text key={`${e.field}:${e.message}`} type="danger" style={{ overflowWrap: 'anywhere' }}>
              {t(`imports.fields.${e.field}`, { defaultValue: e.field })}：{e.message}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <ResponsiveTable<PreviewRow>
      data-testid="import-preview"
      rowKey="row"
      size="small"
      columns={columns}
      dataSource={preview}
      pagination={preview.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      rowClassName={(r) => (r.state === 'invalid' ? 'import-row-invalid' : '')}
      card={{ title: 'title', status: ['row', 'state'] }}
    />
  );
}

/** 共 N 行：新增、已存在、有错误. */
export function ImportSummary({ preview }: { preview: PreviewRow[] }) {
  const { t } = useTranslation();
  const count = (state: PreviewRow['state']) => preview.filter((p) => p.state === state).length;
  return (
    <Space wrap data-testid="import-summary">
      <Typography.Text>{t('imports.summary', { rows: preview.length })}</Typography.Text>
      <Tag color="green">{t('imports.countNew', { count: count('new') })}</Tag>
      <Tag>{t('imports.countExisting', { count: count('existing') })}</Tag>
      <Tag color={count('invalid') ? 'red' : 'default'}>{t('imports.countInvalid', { count: count('invalid') })}</Tag>
    </Space>
  );
}
