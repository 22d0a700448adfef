/**
 * The queues of the two workbenches: what each tab lists, how it is counted, and where 在台账中查看 goes.
 * Every issue queue is a filter of `GET /api/v1/issues` (docs/api.md: open, deadline window, extension_pending,
 * rework) sorted by urgency (the most overdue first); the ledger link carries the same filter in its URL.
 */

/** The filter of an issue queue, sent to the API and put in the ledger's URL as it is. */
export type IssueQueueFilter = Readonly<Record<string, string>>;

export type QueueSource = { kind: 'issues'; filter: IssueQueueFilter } | { kind: 'notices' } | { kind: 'intake' };

export type QueueTone = 'normal' | 'warning' | 'danger';

export interface Queue {
  key: string;
  /** i18n key of the tab's name */
  label: string;
  /** i18n key of the line under the tab's title */
  hint: string;
  tone: QueueTone;
  source: QueueSource;
  /** the page listing the same items in full: the ledger filtered alike, the 督办通知 or the intake page */
  href: string;
}

/** Today and the last day still yellow (3 working days after today): the 临期 window. */
export interface DueWindow {
  today: string;
  dueSoonUntil: string;
}

/** The sort every queue uses: open items by the deadline in force, the most overdue first. */
export const URGENCY = 'urgency';

export function ledgerHref(filter: IssueQueueFilter): string {
  const params = new URLSearchParams({ ...filter, sort: URGENCY });
  return `/issues?${params.toString()}`;
}

function issues(key: string, filter: IssueQueueFilter, tone: QueueTone = 'normal'): Queue {
  return {
    key,
    label: `workbench.queues.${key}`,
    hint: `workbench.hints.${key}`,
    tone,
    source: { kind: 'issues', filter },
    href: ledgerHref(filter),
  };
}

export function dueSoonFilter(window: DueWindow): IssueQueueFilter {
  return { open: 'true', deadline_from: window.today, deadline_to: window.dueSoonUntil };
}

/**
 * 工作台 of a unit's staff: 我负责的, 待接收, 办理中, 被退回, 临期, 超期, 待签收督办 (the API keeps them to their unit).
 * 我负责的 is the person's own: items they are the responsible person (责任人) of or hold an open sub-task of.
 */
export function unitQueues(window: DueWindow): Queue[] {
  return [
    issues('mine', { mine: 'true', open: 'true' }),
    // as the lead unit, or a co-unit's own part (协办) still to accept
    issues('toAccept', { to_accept: 'true' }),
    issues('inProgress', { status: 'in_progress' }),
    issues('sentBack', { rework: 'true', open: 'true' }, 'warning'),
    issues('dueSoon', dueSoonFilter(window), 'warning'),
    issues('overdue', { overdue: 'true' }, 'danger'),
    {
      key: 'notices',
      label: 'workbench.queues.notices',
      hint: 'workbench.hints.notices',
      tone: 'danger',
      source: { kind: 'notices' },
      href: '/escalations?unacknowledged=1',
    },
  ];
}

/** 办公室工作台: 待受理诉求, 待交办, 待审核销号, 延期待审批, 退回待重新交办, 超期. */
export function officeQueues(): Queue[] {
  return [
    {
      key: 'intake',
      label: 'workbench.queues.intake',
      hint: 'workbench.hints.intake',
      tone: 'normal',
      source: { kind: 'intake' },
      href: '/intake',
    },
    issues('toAssign', { status: 'registered' }),
    issues('toReview', { status: 'pending_review' }),
    issues('extensions', { extension_pending: 'true', open: 'true' }, 'warning'),
    issues('returned', { status: 'returned' }, 'warning'),
    issues('overdue', { overdue: 'true' }, 'danger'),
  ];
}

/** The tab to open: the one in the URL, else the first with something in it, else the first. */
export function initialQueue(queues: readonly Queue[], counts: Readonly<Record<string, number | undefined>>, asked: string | null): string {
  if (asked && queues.some((q) => q.key === asked)) return asked;
  const busy = queues.find((q) => (counts[q.key] ?? 0) > 0);
  return (busy ?? queues[0])?.key ?? '';
}
