/**
 * The workflow steps the detail page can take: for each, the form fields it asks for
 * and the endpoint + body it posts (docs/api.md, "Endpoints that clients rely on").
 */
import type { Dayjs } from 'dayjs';
import type { IssueDetail } from '@/api/generated/openapi';

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'percent'
  | 'date'
  | 'unit'
  | 'units'
  | 'return_reason'
  | 'approved'
  | 'extension_request'
  | 'co_unit'
  | 'deadline'
  | 'extension_date';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
}

/** The steps are the API's action names (GET /issues/workflow). */
/** A workflow step's name, as `GET /issues/{id}` lists them in `allowed_actions`. */
export type StepName = IssueDetail['allowed_actions'][number];

export type FormValues = Record<string, unknown>;

export interface StepSpec {
  name: StepName;
  fields: FieldSpec[];
  danger?: boolean;
  /** path relative to /api/v1/issues/{id}/ */
  path: (values: FormValues, ctx: { unitId?: string | null }) => string;
  body: (values: FormValues) => Record<string, unknown>;
}

const req = (name: string, kind: FieldKind): FieldSpec => ({ name, kind, required: true });
const opt = (name: string, kind: FieldKind): FieldSpec => ({ name, kind, required: false });

function str(values: FormValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function date(values: FormValues, name: string): string | undefined {
  const v = values[name] as Dayjs | string | undefined | null;
  if (!v) return undefined;
  return typeof v === 'string' ? v : v.format('YYYY-MM-DD');
}

/** Keep only defined members so optional fields are omitted, not sent as null. */
function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

const assignBody = (v: FormValues) =>
  compact({
    lead_unit_id: v.lead_unit_id,
    co_unit_ids: Array.isArray(v.co_unit_ids) ? v.co_unit_ids : [],
    deadline: date(v, 'deadline'),
    requirements: str(v, 'requirements'),
  });

const assignFields = [req('lead_unit_id', 'unit'), opt('co_unit_ids', 'units'), req('deadline', 'deadline'), opt('requirements', 'textarea')];

export const STEPS: Record<StepName, StepSpec> = {
  assign: { name: 'assign', fields: assignFields, path: () => 'assign', body: assignBody },
  reassign: { name: 'reassign', fields: assignFields, path: () => 'reassign', body: assignBody },
  accept: { name: 'accept', fields: [opt('note', 'textarea')], path: () => 'accept', body: (v) => compact({ note: str(v, 'note') }) },
  return: {
    name: 'return',
    fields: [req('reason_code', 'return_reason'), opt('reason', 'textarea')],
    path: () => 'return',
    body: (v) => compact({ reason_code: str(v, 'reason_code'), reason: str(v, 'reason') ?? str(v, 'reason_code') }),
  },
  progress: {
    name: 'progress',
    fields: [req('content', 'textarea'), req('percent', 'percent')],
    path: () => 'progress',
    body: (v) => ({ content: str(v, 'content'), percent: v.percent }),
  },
  submit_completion: {
    name: 'submit_completion',
    fields: [req('summary', 'textarea')],
    path: () => 'submit-completion',
    body: (v) => ({ summary: str(v, 'summary') }),
  },
  close: { name: 'close', fields: [opt('comment', 'textarea')], path: () => 'close', body: (v) => compact({ comment: str(v, 'comment') }) },
  reject_completion: {
    name: 'reject_completion',
    fields: [req('reason', 'textarea')],
    danger: true,
    path: () => 'reject-completion',
    body: (v) => ({ reason: str(v, 'reason') }),
  },
  reopen: { name: 'reopen', fields: [req('reason', 'textarea')], path: () => 'reopen', body: (v) => ({ reason: str(v, 'reason') }) },
  cancel: {
    name: 'cancel',
    fields: [req('reason', 'textarea')],
    danger: true,
    path: () => 'cancel',
    body: (v) => ({ reason: str(v, 'reason') }),
  },
  request_extension: {
    name: 'request_extension',
    fields: [req('new_deadline', 'extension_date'), req('reason', 'textarea')],
    path: () => 'extension-requests',
    body: (v) => ({ new_deadline: date(v, 'new_deadline'), reason: str(v, 'reason') }),
  },
  decide_extension: {
    name: 'decide_extension',
    fields: [req('request_id', 'extension_request'), req('approved', 'approved'), opt('comment', 'textarea')],
    path: (v) => `extension-requests/${encodeURIComponent(String(v.request_id))}/decision`,
    body: (v) => compact({ approved: v.approved === true, comment: str(v, 'comment') }),
  },
  urge: { name: 'urge', fields: [req('content', 'textarea')], path: () => 'urge', body: (v) => ({ content: str(v, 'content') }) },
  instruct: {
    name: 'instruct',
    fields: [req('content', 'textarea')],
    path: () => 'instructions',
    body: (v) => ({ content: str(v, 'content') }),
  },
  // A co-unit acts on its own part: the path names the caller's unit.
  co_unit_accept: {
    name: 'co_unit_accept',
    fields: [],
    path: (_v, ctx) => `co-units/${encodeURIComponent(ctx.unitId ?? '')}/accept`,
    body: () => ({}),
  },
  co_unit_contribute: {
    name: 'co_unit_contribute',
    fields: [req('content', 'textarea')],
    path: (_v, ctx) => `co-units/${encodeURIComponent(ctx.unitId ?? '')}/contribution`,
    body: (v) => ({ content: str(v, 'content') }),
  },
  // The office waives one co-unit's part: the path names the chosen co-unit.
  co_unit_waive: {
    name: 'co_unit_waive',
    fields: [req('unit_id', 'co_unit')],
    path: (v) => `co-units/${encodeURIComponent(String(v.unit_id))}/waive`,
    body: () => ({}),
  },
};

/**
 * The step that moves the issue on, shown as the primary button: the first of these the caller may take.
 * Steps that undo (撤销) stand apart, in red.
 */
export const PRIMARY_ORDER: readonly StepName[] = [
  'assign',
  'accept',
  'co_unit_accept',
  'close',
  'decide_extension',
  'submit_completion',
  'reassign',
  'progress',
  'co_unit_contribute',
  'instruct',
  'urge',
];
export const DESTRUCTIVE: readonly StepName[] = ['cancel'];

/** The steps as the bar shows them: the primary one first, the others, and the destructive ones apart. */
export function arrangeSteps(steps: readonly StepName[]): { primary: StepName | null; others: StepName[]; destructive: StepName[] } {
  const primary = PRIMARY_ORDER.find((s) => steps.includes(s)) ?? null;
  const destructive = steps.filter((s) => DESTRUCTIVE.includes(s));
  const others = steps.filter((s) => s !== primary && !DESTRUCTIVE.includes(s));
  return { primary, others, destructive };
}

/** Reason codes of POST /issues/{id}/return (issues-api ReturnReason). */
export const RETURN_REASONS = ['not_our_remit', 'needs_another_unit', 'duplicate', 'insufficient_information', 'other'] as const;
