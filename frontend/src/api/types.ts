/**
 * Hand-written TypeScript types for the Rectify API contract
 * (shared/DESIGN.md, "Endpoints that clients rely on").
 *
 * TODO: replace with types generated from the gateway's merged OpenAPI document
 * (openapi-typescript) once the services publish it; generated types are never edited.
 * Fields marked "assumed" are not in the contract yet: the SPA copes with their absence.
 */

export type Role = 'admin' | 'office' | 'leader' | 'unit' | 'integration';

export const ISSUE_STATUSES = [
  'registered',
  'assigned',
  'returned',
  'in_progress',
  'pending_review',
  'closed',
  'cancelled',
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const ISSUE_SOURCES = ['self_inspection', 'inspection', 'public', 'assigned', 'integration'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];

export const ISSUE_KINDS = ['problem', 'task'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export const ISSUE_ACTIONS = [
  'assign',
  'accept',
  'return',
  'reassign',
  'progress',
  'submit_completion',
  'close',
  'reject_completion',
  'reopen',
  'cancel',
  'request_extension',
  'decide_extension',
  'urge',
  'instruct',
] as const;
export type IssueAction = (typeof ISSUE_ACTIONS)[number];

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface Me {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  unit_id: string | null;
}

export interface Unit {
  id: string;
  name: string;
  code?: string;
}

export interface Category {
  id: string;
  name: string;
  parent_id?: string | null;
  code?: string;
}

export interface Campaign {
  id: string;
  name: string;
  code?: string;
  categories?: Category[];
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
  total?: number;
}

/** One deadline set on the issue (docs/events.md): initial, extension or reassign. */
export interface DeadlineChange {
  deadline: string;
  kind?: string;
  at?: string;
  reason?: string | null;
}

/** A co-unit's (协办) own part (docs/events.md). */
export interface CoUnit {
  unit_id: string;
  /** pending | accepted | filed | waived */
  status: string;
  /** assumed, optional: the filed contribution text */
  contribution?: string | null;
}

/** assumed: extension requests carried on the issue detail. */
export interface ExtensionRequest {
  id: string;
  new_deadline: string;
  reason: string;
  /** pending | approved | denied (others shown as given) */
  status: string;
  requested_at?: string;
  decided_at?: string | null;
  comment?: string | null;
}

export interface Issue {
  id: string;
  code: string;
  campaign_id: string;
  category_id?: string | null;
  kind: IssueKind;
  source: IssueSource;
  title: string;
  description: string;
  cause?: string | null;
  measures?: string | null;
  requirements?: string | null;
  lead_unit_id?: string | null;
  co_unit_ids?: string[];
  city?: string | null;
  deadline?: string | null;
  status: IssueStatus;
  progress_percent?: number;
  reopen_count?: number;
  created_at: string;
  assigned_at?: string | null;
  closed_at?: string | null;
  version?: number;
  original_deadline?: string | null;
  deadline_history?: DeadlineChange[];
  co_units?: CoUnit[];
  return_count?: number;
  flagged?: boolean;
  satisfaction?: boolean | null;
  rating?: number | null;
  accepted_at?: string | null;
  submitted_at?: string | null;
  cancelled_at?: string | null;
  last_progress_at?: string | null;
  /** assumed: derived by the API; computed on the client when absent */
  overdue?: boolean;
  /** assumed: steps the current user may take now; derived on the client when absent */
  allowed_actions?: string[];
  /** assumed: extension requests of the issue (Extension of docs/events.md) */
  extension_requests?: ExtensionRequest[];
  /** assumed: display helpers */
  lead_unit_name?: string;
}

export interface IssueCreate {
  campaign_id: string;
  title: string;
  description: string;
  kind: IssueKind;
  source: IssueSource;
  category_id?: string;
  cause?: string;
  measures?: string;
  city?: string;
}

export type IssuePatch = Partial<Omit<IssueCreate, 'campaign_id' | 'source'>>;

export type Actor =
  | string
  | { kind?: string; id?: string | null; username?: string; display_name?: string; role?: string; unit_id?: string | null };

/** assumed shape of GET /issues/{id}/timeline items (events of the issue). */
export interface TimelineEntry {
  seq?: number;
  id?: string;
  type: string;
  occurred_at: string;
  actor?: Actor | null;
  data?: Record<string, unknown>;
}

export interface PublicSubmissionCreate {
  title: string;
  content: string;
  category_id?: string;
  city?: string;
  enterprise_name?: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
}

/** assumed shape of GET /public/submissions/{code} */
export interface PublicSubmission {
  tracking_code: string;
  status: string;
  title?: string;
  submitted_at?: string;
  timeline?: { at: string; status?: string; text?: string }[];
  public_reply?: string | null;
  can_feedback?: boolean;
  feedback?: { satisfied: boolean; rating: number; comment?: string | null } | null;
}

export interface PublicFeedback {
  satisfied: boolean;
  rating: number;
  comment?: string;
}

/** assumed shape of GET /intake items */
export interface IntakeItem {
  id: string;
  tracking_code?: string;
  title: string;
  content: string;
  status: string;
  submitted_at?: string;
  created_at?: string;
  enterprise_name?: string | null;
  contact_name?: string | null;
  contact_phone?: string | null;
  city?: string | null;
  issue_id?: string | null;
}

export interface ReportSummary {
  total: number;
  open: number;
  closed: number;
  cancelled: number;
  overdue: number;
  closure_rate: number | null;
  on_time_rate: number | null;
  on_time_rate_original: number | null;
  satisfaction_rate: number | null;
  as_of_seq: number;
  lag_events: number;
}

export interface UnitRankingRow {
  unit_id: string;
  unit_name: string;
  total: number;
  closed: number;
  closure_rate: number | null;
  on_time_rate: number | null;
  overdue: number;
}

export interface TrendPoint {
  period: string;
  new: number;
  closed: number;
  open_at_end: number;
}

/** assumed shape of GET /notifications items */
export interface Notification {
  id: string;
  title: string;
  body?: string | null;
  level?: number | null;
  issue_id?: string | null;
  created_at: string;
  read_at?: string | null;
}
