import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '@/features/auth';
import { IssueEscalations } from '@/features/escalations';
import { IssueEvidence } from '@/features/evidence';
import { IssuePublicReplies } from '@/features/intake';
import { SelfInspectionReview } from '@/features/self-inspection';
import { ErrorResult } from '@/shared/components/error-result';
import { PageLoading } from '@/shared/components/page-loading';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { issueQueries } from '../api/issue-queries';
import { IssueActionsBar } from './issue-actions-bar';
import { IssueFields } from './issue-fields';
import { IssueSubtasks, ResponsiblePeople } from './issue-people';
import { CoUnitParts, DeadlineHistory, ExtensionRequests } from './issue-side-lists';
import { IssueTimeline } from './issue-timeline';

export function IssueDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const query = useQuery(issueQueries.detail(id));
  const { user } = useAuth();
  const phone = useIsPhone();

  if (query.isPending) return <PageLoading />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const { issue } = query.data;
  // PATCH /issues/{id} is the office's (and admin's), on an open issue only.
  const editor = user?.role === 'office' || user?.role === 'admin';
  const editable = editor && issue.status !== 'closed' && issue.status !== 'cancelled';

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {issue.code} {issue.title}
        </Typography.Title>
        <Space>
          <Link to="/issues">
            <Button>{t('common.back')}</Button>
          </Link>
          {editable ? (
            <Link to={`/issues/${issue.id}/edit`}>
              <Button>{t('common.edit')}</Button>
            </Link>
          ) : null}
        </Space>
      </Space>
      <SelfInspectionReview issue={issue} />
      <Card title={t('issues.actions')} size="small" style={{ margin: '16px 0' }}>
        <IssueActionsBar issue={issue} />
      </Card>
      {/* no side gutter on a phone: its negative margins would make the page wider than the screen */}
      <Row gutter={[phone ? 0 : 16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('issues.basics')} size="small">
            <IssueFields issue={issue} />
          </Card>
          <Card title={t('people.subtasksTitle')} size="small" style={{ marginTop: 16 }}>
            <IssueSubtasks issue={issue} />
          </Card>
          <Card title={t('evidence.title')} size="small" style={{ marginTop: 16 }}>
            <IssueEvidence issue={issue} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card title={t('issues.deadlineHistory')} size="small">
              <DeadlineHistory issue={issue} />
              <ExtensionRequests issue={issue} />
            </Card>
            <Card title={t('people.responsibleTitle')} size="small">
              <ResponsiblePeople issue={issue} />
            </Card>
            <Card title={t('issues.coUnitParts')} size="small">
              <CoUnitParts issue={issue} />
            </Card>
            <Card title={t('escalations.cardTitle')} size="small">
              <IssueEscalations issueId={issue.id} />
            </Card>
            <Card title={t('intake.issueReplies')} size="small">
              <IssuePublicReplies issueId={issue.id} canReply={editor} />
            </Card>
            <Card title={t('issues.timeline')} size="small">
              <IssueTimeline issueId={issue.id} />
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
