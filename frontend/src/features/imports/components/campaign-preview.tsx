import { Alert, Card, Descriptions, List, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import {
  problemsByRow,
  type CampaignImportPreview,
  type CategoryPreview,
  type DefinitionProblemOut,
  type PhasePreview,
  type PreviewSection,
  type TaskPreview,
  type UnitPreview,
} from '../api/campaign-import-api';

const wrap = { overflowWrap: 'anywhere' } as const;

/** A field path as the file writes it (`tasks[3].lead_unit`), then what is wrong there. */
function ProblemLine({ problem }: { problem: DefinitionProblemOut }) {
  const { t } = useTranslation();
  return (
    <Typography.Text type="danger" style={wrap}>
      <Typography.Text code>{problem.field || t('campaignImport.wholeFile')}</Typography.Text> {problem.message}
    </Typography.Text>
  );
}

interface Row {
  index: number;
}

/** A section of the file as a table: its position in the file, its columns, and the problems of each row in red. */
function SectionTable<T extends Row>(props: {
  section: PreviewSection;
  title: string;
  rows: T[];
  columns: ColumnsType<T>;
  problems: DefinitionProblemOut[];
  cardTitle: string;
}) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const byRow = problemsByRow(props.problems, props.section);
  const columns: ColumnsType<T> = [
    {
      key: 'position',
      title: t('campaignImport.position'),
      width: 64,
      render: (_, r) => (phone ? t('campaignImport.positionN', { n: r.index + 1 }) : r.index + 1),
    },
    ...props.columns,
  ];
  if (byRow.size) {
    columns.push({
      key: 'problems',
      title: t('campaignImport.problems'),
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          {(byRow.get(r.index) ?? []).map((p) => (
            <ProblemLine key={`${p.field}:${p.message}`} problem={p} />
          ))}
        </Space>
      ),
    });
  }
  return (
    <Card size="small" title={props.title} style={{ marginBottom: 12 }} data-testid={`campaign-preview-${props.section}`}>
      <ResponsiveTable<T>
        rowKey="index"
        size="small"
        columns={columns}
        dataSource={props.rows}
        pagination={props.rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        rowClassName={(r) => (byRow.has(r.index) ? 'import-row-invalid' : '')}
        card={{ title: props.cardTitle, status: ['position'] }}
        locale={{ emptyText: t('campaignImport.empty') }}
      />
    </Card>
  );
}

function UnitsTable({ units, problems }: { units: UnitPreview[]; problems: DefinitionProblemOut[] }) {
  const { t } = useTranslation();
  const columns: ColumnsType<UnitPreview> = [
    { key: 'code', title: t('campaignImport.code'), width: 120, render: (_, u) => <Typography.Text style={wrap}>{u.code}</Typography.Text> },
    {
      key: 'name',
      title: t('campaignImport.unitName'),
      render: (_, u) =>
        u.existing_name && u.existing_name !== u.name ? (
          <Space direction="vertical" size={0}>
            <Typography.Text style={wrap}>{u.existing_name}</Typography.Text>
            <Typography.Text type="secondary" style={wrap}>
              {t('campaignImport.fileCalls', { name: u.name })}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text style={wrap}>{u.name}</Typography.Text>
        ),
    },
    { key: 'kind', title: t('campaignImport.unitKind'), width: 80, render: (_, u) => t(`admin.unitKinds.${u.kind}`, { defaultValue: u.kind }) },
    { key: 'parent', title: t('campaignImport.parent'), width: 120, render: (_, u) => u.parent ?? '' },
    {
      key: 'action',
      title: t('campaignImport.action'),
      width: 96,
      render: (_, u) => <Tag color={u.action === 'create' ? 'green' : 'blue'}>{t(`campaignImport.actions.${u.action}`)}</Tag>,
    },
  ];
  return (
    <SectionTable
      section="units"
      title={t('campaignImport.units', { count: units.length })}
      rows={units}
      columns={columns}
      problems={problems}
      cardTitle="name"
    />
  );
}

function TasksTable({ tasks, problems }: { tasks: TaskPreview[]; problems: DefinitionProblemOut[] }) {
  const { t } = useTranslation();
  const unit = (ref: TaskPreview['lead_unit']): ReactNode =>
    ref.name ?? <Typography.Text type="danger">{t('campaignImport.unknownUnit', { code: ref.code })}</Typography.Text>;
  const columns: ColumnsType<TaskPreview> = [
    { key: 'title', title: t('campaignImport.taskTitle'), render: (_, r) => <Typography.Text style={wrap}>{r.code ? `${r.code} ${r.title}` : r.title}</Typography.Text> },
    { key: 'lead', title: t('campaignImport.leadUnit'), width: 160, render: (_, r) => unit(r.lead_unit) },
    {
      key: 'co',
      title: t('campaignImport.coUnits'),
      width: 200,
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {r.co_units.map((c) => (
            <span key={c.code}>{unit(c)}</span>
          ))}
        </Space>
      ),
    },
    { key: 'deadline', title: t('campaignImport.deadline'), width: 110, render: (_, r) => r.deadline ?? '' },
    { key: 'phase', title: t('campaignImport.phase'), width: 120, render: (_, r) => r.phase_name ?? r.phase ?? '' },
    { key: 'category', title: t('campaignImport.category'), width: 120, render: (_, r) => r.category_name ?? r.category },
  ];
  return (
    <SectionTable
      section="tasks"
      title={t('campaignImport.tasks', { count: tasks.length })}
      rows={tasks}
      columns={columns}
      problems={problems}
      cardTitle="title"
    />
  );
}

function PhasesTable({ phases, problems }: { phases: PhasePreview[]; problems: DefinitionProblemOut[] }) {
  const { t } = useTranslation();
  const columns: ColumnsType<PhasePreview> = [
    { key: 'code', title: t('campaignImport.code'), width: 120, render: (_, p) => p.code },
    {
      key: 'name',
      title: t('campaignImport.name'),
      render: (_, p) => (
        <Space size={4} wrap>
          <Typography.Text style={wrap}>{p.name}</Typography.Text>
          {p.concentrated ? <Tag color="orange">{t('campaignImport.concentrated')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'period', title: t('campaignImport.period'), width: 200, render: (_, p) => `${p.starts_on} ~ ${p.ends_on}` },
  ];
  return (
    <SectionTable section="phases" title={t('campaignImport.phases', { count: phases.length })} rows={phases} columns={columns} problems={problems} cardTitle="name" />
  );
}

function CategoriesTable({ categories, problems }: { categories: CategoryPreview[]; problems: DefinitionProblemOut[] }) {
  const { t } = useTranslation();
  const columns: ColumnsType<CategoryPreview> = [
    { key: 'code', title: t('campaignImport.code'), width: 120, render: (_, c) => c.code },
    { key: 'name', title: t('campaignImport.name'), render: (_, c) => <Typography.Text style={wrap}>{c.name}</Typography.Text> },
    { key: 'parent', title: t('campaignImport.parent'), width: 120, render: (_, c) => c.parent ?? '' },
  ];
  return (
    <SectionTable
      section="categories"
      title={t('campaignImport.categories', { count: categories.length })}
      rows={categories}
      columns={columns}
      problems={problems}
      cardTitle="name"
    />
  );
}

/** The campaign's header as the file gives it, with the taken code in red. */
function CampaignHeader({ preview }: { preview: CampaignImportPreview }) {
  const { t } = useTranslation();
  const campaign = preview.campaign;
  if (!campaign) return <Alert type="error" showIcon message={t('campaignImport.unreadable')} />;
  const policies: Record<string, string> = { inline: t('campaignImport.policyInline'), default: t('campaignImport.policyDefault') };
  const policy = policies[campaign.escalation_policy] ?? campaign.escalation_policy;
  return (
    <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} data-testid="campaign-preview-header">
      <Descriptions.Item label={t('campaignImport.code')}>
        <Space size={4} wrap>
          {campaign.code}
          {campaign.code_taken ? <Tag color="red">{t('campaignImport.codeTaken')}</Tag> : null}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('campaignImport.name')}>
        <Typography.Text style={wrap}>{campaign.name}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('campaignImport.period')}>{`${campaign.starts_on} ~ ${campaign.ends_on}`}</Descriptions.Item>
      <Descriptions.Item label={t('campaignImport.policy')}>{policy}</Descriptions.Item>
      <Descriptions.Item label={t('campaignImport.evidence')}>
        {campaign.require_completion_evidence ? t('campaignImport.yes') : t('campaignImport.no')}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** 新建单位 N、沿用已有单位 N、阶段、分类、任务、问题. */
export function CampaignPreviewSummary({ preview }: { preview: CampaignImportPreview }) {
  const { t } = useTranslation();
  return (
    <Space wrap data-testid="campaign-preview-summary">
      <Tag color="green">{t('campaignImport.countUnitsNew', { count: preview.units_to_create })}</Tag>
      <Tag color="blue">{t('campaignImport.countUnitsMatched', { count: preview.units_matched })}</Tag>
      <Tag>{t('campaignImport.countPhases', { count: preview.phases.length })}</Tag>
      <Tag>{t('campaignImport.countCategories', { count: preview.categories.length })}</Tag>
      <Tag>{t('campaignImport.countTasks', { count: preview.tasks_to_create })}</Tag>
      <Tag color={preview.problems.length ? 'red' : 'default'}>{t('campaignImport.countProblems', { count: preview.problems.length })}</Tag>
    </Space>
  );
}

/**
 * What importing the file would change: the campaign, every problem with its field path, the `actions` (before
 * the long tables, so nobody scrolls to the end to import), then each section.
 */
export function CampaignPreview({ preview, actions }: { preview: CampaignImportPreview; actions?: ReactNode }) {
  const { t } = useTranslation();
  const { problems } = preview;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="campaign-preview">
      <CampaignHeader preview={preview} />
      <CampaignPreviewSummary preview={preview} />
      {preview.campaign?.code_taken ? (
        <Alert type="error" showIcon message={t('campaignImport.codeTakenHint', { code: preview.campaign.code })} data-testid="campaign-code-taken" />
      ) : null}
      {problems.length ? (
        <Alert
          type="error"
          showIcon
          data-testid="campaign-problems"
          message={t('campaignImport.hasProblems', { count: problems.length })}
          description={
            <List
              size="small"
              header={t('campaignImport.problemsTitle')}
              dataSource={problems}
              renderItem={(p) => (
                <List.Item style={{ paddingInline: 0 }}>
                  <ProblemLine problem={p} />
                </List.Item>
              )}
            />
          }
        />
      ) : null}
      {actions}
      <TasksTable tasks={preview.tasks} problems={problems} />
      <UnitsTable units={preview.units} problems={problems} />
      <PhasesTable phases={preview.phases} problems={problems} />
      <CategoriesTable categories={preview.categories} problems={problems} />
    </Space>
  );
}
