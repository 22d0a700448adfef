import { Link } from 'react-router-dom';

interface Props {
  id: string;
  code?: string | null | undefined;
  title?: string | null | undefined;
}

/** A link to an issue's page, named by its code and title (the bare id when neither is known). */
export function IssueLink({ id, code, title }: Props) {
  const label = [code, title].filter(Boolean).join(' ') || id;
  return <Link to={`/issues/${encodeURIComponent(id)}`}>{label}</Link>;
}
