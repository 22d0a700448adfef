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
  'co_unit_accept',
  'co_unit_contribute',
  'co_unit_waive',
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
}

/** GET /issues/{id}/extension-requests items. */
export interface ExtensionRequest {
  id: string;
  new_deadline: string;
  reason: string;
  /** pending | approved | denied */
  status: string;
  requested_at: string;
  decided_at: string | null;
  comment: string | null;
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
  /** derived by the API (open and past the deadline); computed on the client when absent */
  overdue?: boolean;
  /** steps the current user may take now: sent on the detail (IssueDetail), not on list items */
  allowed_actions?: string[];
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

/** PATCH /issues/{id}: only the fields sent change; null clears an optional one. */
export interface IssuePatch {
  title?: string;
  description?: string;
  kind?: IssueKind;
  category_id?: string | null;
  cause?: string | null;
  measures?: string | null;
  city?: string | null;
}

/** Who acted, as an event or timeline entry names them (older entries may hold a bare name or fewer fields). */
export type Actor = string | Partial<EventActor>;

/** GET /issues/{id}/timeline items: the issue's events, `data` without the issue state. */
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

/** submitted | accepted | processing | closed | cancelled | rejected */
export type PublicStatus = 'submitted' | 'accepted' | 'processing' | 'closed' | 'cancelled' | 'rejected';

/** GET /public/submissions/{code} */
export interface PublicSubmission {
  tracking_code: string;
  status: PublicStatus;
  title: string;
  submitted_at: string;
  timeline: { at: string; status: string; text: string; text_en: string }[];
  public_reply: string | null;
  can_feedback: boolean;
  feedback: { satisfied: boolean; rating: number; comment: string | null } | null;
}

export interface PublicFeedback {
  satisfied: boolean;
  rating: number;
  comment?: string;
}

/** GET /intake items (the office's view, contacts included) */
export interface IntakeItem {
  id: string;
  /** last group of the tracking code */
  code_hint: string;
  status: 'submitted' | 'accepted' | 'merged' | 'rejected';
  title: string;
  content: string;
  category_id: string | null;
  city: string | null;
  enterprise_name: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  issue_id: string | null;
  public_reply: string | null;
  submitted_at: string;
  decided_at: string | null;
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
  avg_working_days_to_close: number | null;
  reopen_count: number;
  escalations_by_level: Record<string, number>;
  as_of_seq: number;
  lag_events: number;
}

/** GET /reports/units items; rates are fractions 0..1. */
export interface UnitRankingRow {
  rank: number;
  unit_id: string;
  unit_code: string;
  unit_name: string;
  total: number;
  open: number;
  closed: number;
  cancelled: number;
  overdue: number;
  closure_rate: number | null;
  on_time_rate: number | null;
  on_time_rate_original: number | null;
}

export interface UnitRanking {
  items: UnitRankingRow[];
  red_list: string[];
  black_list: string[];
  as_of_seq: number;
  lag_events: number;
}

export interface TrendPoint {
  period: string;
  starts_on: string;
  ends_on: string;
  new: number;
  closed: number;
  open_at_end: number;
}

/** How fresh a report is: last issues-feed event applied, events not yet applied (both feeds). */
export interface ReportFreshness {
  as_of_seq: number;
  lag_events: number;
}

export interface ReportTrend extends ReportFreshness {
  granularity: string;
  items: TrendPoint[];
}

/** GET /reports/categories items; rates are fractions 0..1. */
export interface CategoryRow {
  category_id: string | null;
  category_name: string;
  total: number;
  open: number;
  closed: number;
  cancelled: number;
  overdue: number;
  closure_rate: number | null;
  on_time_rate: number | null;
}

export interface ReportCategories extends ReportFreshness {
  items: CategoryRow[];
}

/** GET /reports/overdue items: days_overdue counts working days past the deadline. */
export interface OverdueItem {
  id: string;
  code: string | null;
  title: string;
  campaign_id: string | null;
  category_id: string | null;
  lead_unit_id: string | null;
  lead_unit_name: string;
  co_unit_ids: string[];
  status: IssueStatus;
  deadline: string;
  original_deadline: string | null;
  days_overdue: number;
  max_escalation_level: number | null;
}

export interface OverduePage extends ReportFreshness {
  items: OverdueItem[];
  next_cursor: string | null;
  total: number;
}

export interface AccountabilityUnit {
  unit_id: string;
  unit_name: string;
  issues: number;
  red_cards: number;
  repeated_returns: number;
  repeated_rejections: number;
}

export const ACCOUNTABILITY_REASONS = ['red_card', 'repeated_returns', 'repeated_rejections'] as const;
export type AccountabilityReason = (typeof ACCOUNTABILITY_REASONS)[number];

export interface AccountabilityItem {
  id: string;
  code: string | null;
  title: string;
  lead_unit_id: string | null;
  lead_unit_name: string;
  status: IssueStatus;
  deadline: string | null;
  max_escalation_level: number | null;
  return_count: number;
  reject_count: number;
  reasons: AccountabilityReason[];
}

export interface Accountability extends ReportFreshness {
  units: AccountabilityUnit[];
  items: AccountabilityItem[];
  total: number;
}

/** A meeting report (例会材料): figures frozen at creation, compared with the previous meeting. */
export interface Meeting {
  id: string;
  campaign_id: string;
  period: string;
  created_at: string;
  created_by: string | null;
  as_of_seq: number;
  figures: Partial<Record<string, number | null | Record<string, number>>>;
  changes: Partial<Record<string, number | null>> | null;
  docx_url: string;
  xlsx_url: string;
}

export interface MeetingCreate {
  campaign_id: string;
  period: string;
}

/** GET /notifications items (notify-api) */
export interface Notification {
  id: string;
  /** assigned | returned | escalation | … */
  kind: string;
  title: string;
  body: string;
  level: number | null;
  issue_id: string | null;
  escalation_id: string | null;
  created_at: string;
  read_at: string | null;
}

/** Escalation levels (notify-api): 0 临近提醒 1 催办 2 督办 3 通报 4 约谈/问责 */
export const ESCALATION_LEVELS = [0, 1, 2, 3, 4] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
/** levels whose notices are numbered (督〔2026〕12号) and must be acknowledged by the unit */
export const NUMBERED_LEVELS: readonly number[] = [2, 3];

/** GET /escalations items (notify_api/escalations/schemas.py EscalationOut) */
export interface Escalation {
  id: string;
  issue_id: string;
  /** the issue's code and title as notify-api knows them (null before it has heard of the issue) */
  issue_code: string | null;
  issue_title: string | null;
  campaign_id: string;
  unit_id: string | null;
  level: number;
  step: string;
  /** 督办/通报文号, levels 2 and 3 only */
  number: string | null;
  deadline: string | null;
  fired_at: string;
  acknowledged_at: string | null;
}

/* --- Administration (issues-api directory, notify-api webhooks and deliveries) --- */

export const USER_ROLES = ['admin', 'office', 'leader', 'unit'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const UNIT_KINDS = ['department', 'centre', 'company', 'city'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** GET /units items as the directory returns them (UnitOut). */
export interface DirectoryUnit {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
  active: boolean;
  /** the ETag for If-Match is `"<version>"` */
  version: number;
}

export interface UnitCreate {
  code: string;
  name: string;
  kind: UnitKind;
  parent_id?: string | null;
}

export interface UnitUpdate {
  name?: string;
  kind?: UnitKind;
  parent_id?: string | null;
  active?: boolean;
}

/** GET /users items (UserOut); phone and email are null for roles that may not see contacts. */
export interface DirectoryUser {
  id: string;
  username: string;
  display_name: string;
  role: string;
  unit_id: string | null;
  email: string | null;
  phone: string | null;
  active: boolean;
  digest_opt_in: boolean;
  locale: string;
  version: number;
}

export interface UserCreate {
  username: string;
  display_name: string;
  role: UserRole;
  unit_id?: string | null;
  phone?: string | null;
  email?: string | null;
  password: string;
}

export interface UserUpdate {
  display_name?: string;
  role?: UserRole;
  unit_id?: string | null;
  phone?: string | null;
  email?: string | null;
  password?: string;
  active?: boolean;
}

/** Scopes an integration client may be granted (issues-api auth). */
export const CLIENT_SCOPES = ['issues:read', 'issues:write', 'events:read', 'directory:read', 'reports:read'] as const;

/** GET /clients items (ClientOut). */
export interface IntegrationClient {
  id: string;
  name: string;
  scopes: string[];
  active: boolean;
}

/** The answer of a create or a secret rotation: the only time the secret is shown. */
export interface ClientWithSecret extends IntegrationClient {
  client_secret: string;
}

export interface ClientCreate {
  id: string;
  name: string;
  scopes: string[];
}

export interface ClientUpdate {
  name?: string;
  scopes?: string[];
  active?: boolean;
  rotate_secret?: boolean;
}

export const WEBHOOK_EVENT_TYPES = ['escalation.fired', 'escalation.acknowledged', 'notification.created', '*'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** GET /webhooks items (notify-api WebhookOut); the secret is never shown. */
export interface WebhookSubscription {
  id: string;
  url: string;
  event_types: string[];
  description: string;
  active: boolean;
  created_at: string;
}

export interface WebhookCreate {
  url: string;
  secret: string;
  event_types: WebhookEventType[];
  description: string;
}

/** Fields left out keep their value; none may be null. */
export interface WebhookPatch {
  url?: string;
  secret?: string;
  event_types?: WebhookEventType[];
  description?: string;
  active?: boolean;
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'dead', 'held', 'folded'] as const;
export const DELIVERY_CHANNELS = ['webhook', 'email', 'sms', 'wecom', 'dingtalk'] as const;

export interface DeliveryAttempt {
  attempted_at: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** GET /deliveries items (notify-api DeliveryOut). */
export interface Delivery {
  id: string;
  channel: string;
  target: string;
  user_id: string | null;
  event_type: string;
  level: number | null;
  subject: string;
  subscription_id: string | null;
  /** pending | sending | sent | dead | held | folded */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  attempt_log: DeliveryAttempt[];
}

/* --- notify-api settings: escalation policies, working-day calendar, channels --- */

/** notify_api/policies/schemas.py */
export const POLICY_ANCHORS = ['deadline', 'assigned', 'last_progress', 'submitted'] as const;
export type PolicyAnchor = (typeof POLICY_ANCHORS)[number];
export const POLICY_RECIPIENTS = ['lead_unit', 'co_units', 'office', 'leaders'] as const;
export type PolicyRecipient = (typeof POLICY_RECIPIENTS)[number];
/** every step goes to the in-app inbox; the API refuses a step without it */
export const STEP_CHANNELS = ['inbox', 'email', 'sms', 'wecom', 'dingtalk'] as const;
export type StepChannel = (typeof STEP_CHANNELS)[number];

export interface PolicyStep {
  code: string;
  anchor: PolicyAnchor;
  /** working days from the anchor: negative before the deadline; other anchors need a positive offset */
  offset_wd: number;
  level: number;
  recipients: PolicyRecipient[];
  channels: StepChannel[];
}

/** PUT /escalation-policies/{campaign_id} body: the whole policy */
export interface EscalationPolicy {
  steps: PolicyStep[];
  ack_within_wd: number;
}

export interface EscalationPolicyOut extends EscalationPolicy {
  campaign_id: string;
  is_default: boolean;
  version: number;
  source: 'default' | 'admin' | 'file';
}

/** notify_api/calendar/schemas.py: a day that differs from Monday-to-Friday */
export interface CalendarDay {
  date: string;
  is_working: boolean;
  /** official (国务院安排) | override (管理员调整) */
  source: string;
  note: string;
}

export interface CalendarYear {
  year: number;
  provisional: boolean;
  days: CalendarDay[];
  warnings: string[];
}

/** PUT /calendar: replaces every admin override of the year */
export interface CalendarUpdate {
  year: number;
  overrides: { date: string; is_working: boolean; note: string }[];
  complete: boolean;
}

/** notify_api/delivery/schemas.py */
export const CHANNEL_NAMES = ['email', 'sms', 'wecom', 'dingtalk'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface ChannelSetting {
  channel: string;
  enabled: boolean;
  /** webhook_url / url, never the secret */
  config: Record<string, unknown>;
  has_secret: boolean;
}

/** PUT /channels: a missing (or null) field keeps the stored value */
export interface ChannelUpdate {
  channel: ChannelName;
  enabled: boolean;
  webhook_url?: string | null;
  url?: string | null;
  secret?: string | null;
}

/* --- issues-api audit log: the event feed and the chain check --- */

/** An event's `actor` (docs/events.md): kind is user | client | public | system. */
export interface EventActor {
  kind: string;
  id: string | null;
  username: string | null;
  display_name?: string;
  role: string | null;
  unit_id: string | null;
}

/** GET /events items (rectify_kit/feed.py FeedEvent). */
export interface FeedEvent {
  seq: number;
  id: string;
  type: string;
  occurred_at: string;
  actor: EventActor;
  subject_id: string;
  data: Record<string, unknown>;
  /** sha256 hex of this event chained to the previous one */
  hash: string;
}

/** GET /events?after=&limit=: ascending by seq; `next` is the `after` of the following page, `head` the last seq. */
export interface FeedPage {
  events: FeedEvent[];
  next: number;
  head: number;
}

/** GET /audit/verify (issues_api/events/schemas.py ChainVerification). */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  first_bad_seq: number | null;
  anchors_checked: number;
}
