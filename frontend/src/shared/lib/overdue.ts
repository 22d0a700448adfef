const OPEN = new Set(['registered', 'assigned', 'returned', 'in_progress', 'pending_review']);

/** Today's date (YYYY-MM-DD) in Asia/Shanghai, where the business rules live. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Overdue is derived: open and today (Asia/Shanghai) past the deadline. The API's own flag wins. */
export function isOverdue(
  issue: { overdue?: boolean; status: string; deadline?: string | null },
  now: Date = new Date(),
): boolean {
  if (typeof issue.overdue === 'boolean') return issue.overdue;
  if (!issue.deadline || !OPEN.has(issue.status)) return false;
  return todayInShanghai(now) > issue.deadline.slice(0, 10);
}
