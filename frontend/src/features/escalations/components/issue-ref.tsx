import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { escalationQueries } from '../api/escalation-queries';

/** Link to the issue, named by code and title once they are loaded (the bare id if the issue cannot be read). */
export function IssueRef({ issueId }: { issueId: string }) {
  const query = useQuery(escalationQueries.issueRef(issueId));
  const label = query.data ? `${query.data.code} ${query.data.title}` : issueId;
  return <Link to={`/issues/${encodeURIComponent(issueId)}`}>{label}</Link>;
}
