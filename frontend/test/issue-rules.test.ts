import { describe, expect, it } from 'vitest';
import type { IssueDetail } from '@/api/generated/openapi';
import { RETURN_REASONS, STEPS } from '@/features/issues/api/issue-actions';
import { allowedSteps } from '@/features/issues/hooks/allowed-steps';
import { entryText } from '@/features/issues/components/issue-timeline';
import { isOverdue, todayInShanghai } from '@/shared/lib/overdue';
import { issueDetail, timelineEntry } from './factories';

const base = issueDetail({ status: 'assigned', co_unit_ids: ['B'] });

describe('allowedSteps', () => {
  it('offers exactly the API list, ignoring names the app has no form for', () => {
    expect(allowedSteps({ ...base, allowed_actions: ['close', 'fly'] as IssueDetail['allowed_actions'] })).toEqual(['close']);
  });

  it('an empty list means no step', () => {
    expect(allowedSteps({ ...base, allowed_actions: [] })).toEqual([]);
  });

  it('includes the co-unit steps under their API names', () => {
    const issue: IssueDetail = { ...base, status: 'in_progress', allowed_actions: ['co_unit_accept', 'co_unit_contribute', 'co_unit_waive'] };
    expect(allowedSteps(issue)).toEqual(['co_unit_accept', 'co_unit_contribute', 'co_unit_waive']);
  });
});

describe('step requests', () => {
  it('posts reassign, return and co-unit steps to the real endpoints', () => {
    expect(STEPS.reassign.path({}, {})).toBe('reassign');
    expect(STEPS.return.body({ reason_code: 'needs_another_unit', reason: '应由住建厅办理' })).toEqual({
      reason_code: 'needs_another_unit',
      reason: '应由住建厅办理',
    });
    expect(STEPS.co_unit_accept.path({}, { unitId: 'B' })).toBe('co-units/B/accept');
    expect(STEPS.co_unit_contribute.path({}, { unitId: 'B' })).toBe('co-units/B/contribution');
    expect(STEPS.co_unit_waive.path({ unit_id: 'B' }, { unitId: null })).toBe('co-units/B/waive');
  });

  it('offers the return reason codes the API accepts', () => {
    expect([...RETURN_REASONS]).toEqual(['not_our_remit', 'needs_another_unit', 'duplicate', 'insufficient_information', 'other']);
  });
});

describe('isOverdue', () => {
  const now = new Date('2026-03-10T17:00:00Z'); // 2026-03-11 01:00 in Shanghai
  it('uses the Shanghai date', () => {
    expect(todayInShanghai(now)).toBe('2026-03-11');
    expect(isOverdue({ status: 'in_progress', deadline: '2026-03-10' }, now)).toBe(true);
    expect(isOverdue({ status: 'in_progress', deadline: '2026-03-11' }, now)).toBe(false);
  });
  it('is never overdue once closed, and trusts the API flag', () => {
    expect(isOverdue({ status: 'closed', deadline: '2020-01-01' }, now)).toBe(false);
    expect(isOverdue({ status: 'in_progress', deadline: '2020-01-01', overdue: false }, now)).toBe(false);
  });
});

describe('timeline text', () => {
  it('reads the text of progress and extension events', () => {
    expect(entryText(timelineEntry({ type: 'issue.progress_reported', occurred_at: '', data: { progress: { content: '已完成清理', percent: 60 } } }))).toBe('已完成清理 (60%)');
    expect(entryText(timelineEntry({ type: 'issue.extension_requested', occurred_at: '', data: { extension: { new_deadline: '2026-05-01', reason: '涉及多部门' } } }))).toBe('→ 2026-05-01 涉及多部门');
    expect(entryText(timelineEntry({ type: 'issue.returned', occurred_at: '', data: { reason_code: 'x', reason: '非本单位职责' } }))).toBe('非本单位职责');
  });
});
