import { useQueries } from '@tanstack/react-query';
import { Badge, Card, Col, Row, Space, Statistic, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { EscalationOut } from '@/api/generated/openapi';
import { escalationQueries, NoticeDrawer, NoticeTable } from '@/features/escalations';
import { useIsPhone } from '@/shared/hooks/use-is-phone';
import { workbenchQueries } from '../api/workbench-queries';
import { initialQueue, type Queue, type QueueTone } from '../lib/queues';
import { IntakeQueueList } from './intake-queue-list';
import { IssueQueueList } from './issue-queue-list';

const TONE_COLOR: Record<QueueTone, string | undefined> = { normal: undefined, warning: '#d46b08', danger: '#cf1322' };

function countQuery(queue: Queue) {
  switch (queue.source.kind) {
    case 'issues':
      return workbenchQueries.issueCount(queue.source.filter);
    case 'notices':
      return escalationQueries.count({ awaiting_acknowledgement: true });
    case 'intake':
      return workbenchQueries.intakeCount();
  }
}

/** The counts of the queues, each also a query other code can read (the tests do). */
export function useQueueCounts(queues: readonly Queue[], enabled: boolean): Record<string, number | undefined> {
  const results = useQueries({ queries: queues.map((q) => ({ ...countQuery(q), enabled })) });
  return Object.fromEntries(queues.map((q, i) => [q.key, results[i]?.data]));
}

interface Props {
  queues: readonly Queue[];
  /** false while the 临期 window is not known yet (the calendar loads) */
  ready: boolean;
  showUnit: boolean;
}

/**
 * A workbench: a card per queue with its count (a tap opens its tab), then the tabs, each the queue's items
 * most urgent first, with a link to the same list in full. The tab is kept in the URL (`?tab=`).
 */
export function QueueBoard({ queues, ready, showUnit }: Props) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const counts = useQueueCounts(queues, ready);
  const [notice, setNotice] = useState<EscalationOut | null>(null);
  const phone = useIsPhone();
  const active = initialQueue(queues, counts, params.get('tab'));
  const activeQueue = queues.find((q) => q.key === active);
  const select = (key: string) => setParams({ tab: key }, { replace: true });

  const body = (queue: Queue) => {
    const empty = t(`workbench.empty.${queue.key}`);
    if (!ready) return null;
    switch (queue.source.kind) {
      case 'issues':
        return <IssueQueueList filter={queue.source.filter} emptyText={empty} showUnit={showUnit} />;
      case 'intake':
        return <IntakeQueueList emptyText={empty} />;
      case 'notices':
        return <NoticeTable filters={{ awaiting_acknowledgement: true }} emptyText={empty} onOpen={setNotice} />;
    }
  };

  return (
    <>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {queues.map((queue) => {
          const count = counts[queue.key];
          const color = count ? TONE_COLOR[queue.tone] : undefined;
          return (
            <Col key={queue.key} xs={12} sm={8} lg={4}>
              <Card
                hoverable
                size="small"
                role="button"
                tabIndex={0}
                aria-pressed={active === queue.key}
                data-testid={`queue-card-${queue.key}`}
                onClick={() => select(queue.key)}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ' ? select(queue.key) : undefined)}
                style={{ height: '100%', borderColor: active === queue.key ? '#1677ff' : undefined }}
              >
                <Statistic
                  title={t(queue.label)}
                  value={count ?? '—'}
                  valueStyle={{ color, fontSize: 28, fontWeight: 600 }}
                />
              </Card>
            </Col>
          );
        })}
      </Row>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={active}
          onChange={select}
          destroyOnHidden
          // on a phone the cards above are the tabs: a row of six tabs would hide most of them behind "…"
          renderTabBar={
            phone
              ? () => (
                  <Typography.Title level={4} style={{ margin: '12px 0 4px' }}>
                    {activeQueue ? t(activeQueue.label) : null}
                  </Typography.Title>
                )
              : undefined
          }
          items={queues.map((queue) => ({
            key: queue.key,
            label: (
              <Space size={6}>
                {t(queue.label)}
                <Badge count={counts[queue.key] ?? 0} showZero={false} overflowCount={999} color={TONE_COLOR[queue.tone] ?? '#1677ff'} />
              </Space>
            ),
            children: (
              <>
                <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 4 }} wrap>
                  <Typography.Text type="secondary">{t(queue.hint)}</Typography.Text>
                  <Link to={queue.href}>{t(queue.source.kind === 'issues' ? 'workbench.openLedger' : 'workbench.openPage')}</Link>
                </Space>
                {body(queue)}
              </>
            ),
          }))}
        />
      </Card>
      <NoticeDrawer escalation={notice} onClose={() => setNotice(null)} />
    </>
  );
}
