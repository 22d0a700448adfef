/** What issues-api answers on the public routes (issues_api/intake/schemas.py). */

export type PublicStatus = 'submitted' | 'accepted' | 'processing' | 'closed' | 'cancelled' | 'rejected';

export interface Stage {
  key: string;
  done: boolean;
  current: boolean;
  at: string | null;
  text: string;
  text_en: string;
  detail: string;
  detail_en: string;
}

export interface Reply {
  id: string;
  at: string;
  content: string;
  on: 'submission' | 'issue';
}

export interface PublicSubmission {
  tracking_code: string;
  status: PublicStatus;
  title: string;
  submitted_at: string;
  timeline: { at: string; status: string; text: string; text_en: string }[];
  public_reply: string | null;
  can_feedback: boolean;
  feedback: { satisfied: boolean; rating: number; comment: string | null } | null;
  stages: Stage[];
  unit_name: string | null;
  expected_date: string | null;
  replies: Reply[];
  followup: 'pending' | 'reopened' | 'answered' | null;
  can_appeal: boolean;
  appeal: { at: string; reason: string } | null;
}

export interface RevealedSubmission {
  title: string;
  content: string;
  city: string | null;
  enterprise_name: string | null;
  submitted_at: string;
  notify_by: 'sms' | 'email' | null;
}

export interface SubmissionCreated {
  tracking_code: string;
  folded: boolean;
}
