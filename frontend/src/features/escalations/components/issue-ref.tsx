import { Link } from 'react-router-dom';
import type { Escalation } from '@/api/types';

/** Link to the escalation's issue, named by its code and title (the bare id until notify-api knows them). */
export function IssueRef({ escalation }: { escalation: Escalation }) {
  const { issue_id: issueId, issue_code: code, issue_title: title } = escalation;
  const label = code ? `${code} ${title ?? ''}`.trim() : issueId;
  return <Link to={`/issues/${encodeURIComponent(issueId)}`}>{label}</Link>;
}
