import { describe, expect, it } from 'vitest';
import type { Issue, Me } from '@/api/types';
import { allowedSteps } from '@/features/issues/hooks/allowed-steps';
import { entryText } from '@/features/issues/components/issue-timeline';
import { isOverdue, todayInShanghai } from '@/shared/lib/overdue';

const base: Issue = {
  id: 'i1',
  code: 'YS-1',
  campaign_id: 'c1',
  kind: 'problem',
  source: 'inspection',
  title: 't',
  description: '',
  status: 'assigned',
  lead_unit_id: 'A',
  co_unit_ids: ['B'],
  created_at: '2026-01-01T00:00:00Z',
};
const office: Me = { id: '1', username: 'office', display_name: 'o', role: 'office', unit_id: null };
const unitA: Me = { id: '2', username: 'A', display_name: 'a', role: 'unit', unit_id: 'A' };
const unitB: Me = { id: '3', username: 'B', display_name: 'b', role: 'unit', unit_id: 'B' };

describe('allowedSteps', () => {
  it('uses the API list when present, ignoring unknown names', () => {
    const r = allowedSteps({ ...base, allowed_actions: ['close', 'fly'] }, office);
    expect(r).toEqual({ steps: ['close'], derived: false });
  });

  it('an empty API list means no step (not a fallback)', () => {
    expect(allowedSteps({ ...base, allowed_actions: [] }, unitA).steps).toEqual([]);
  });

  it('derives from status and role when the API sends no list', () => {
    expect(allowedSteps(base, unitA)).toEqual({ steps: ['accept', 'return'], derived: true });
    expect(allowedSteps({ ...base, status: 'pending_review' }, office).steps).toEqual(['close', 'reject_completion', 'urge', 'cancel']);
    expect(allowedSteps({ ...base, status: 'closed' }, office).steps).toEqual(['reopen']);
  });

  it('offers a co-unit its own part by its co_units status', () => {
    const issue: Issue = { ...base, status: 'in_progress', allowed_actions: [], co_units: [{ unit_id: 'B', status: 'accepted' }] };
    expect(allowedSteps(issue, unitB).steps).toEqual(['co_contribution']);
    expect(allowedSteps({ ...issue, co_units: [{ unit_id: 'B', status: 'filed' }] }, unitB).steps).toEqual([]);
    expect(allowedSteps(issue, unitA).steps).toEqual([]);
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
    expect(entryText({ type: 'issue.progress_reported', occurred_at: '', data: { progress: { content: '已完成清理', percent: 60 } } })).toBe('已完成清理 (60%)');
    expect(entryText({ type: 'issue.extension_requested', occurred_at: '', data: { extension: { new_deadline: '2026-05-01', reason: '涉及多部门' } } })).toBe('→ 2026-05-01 涉及多部门');
    expect(entryText({ type: 'issue.returned', occurred_at: '', data: { reason_code: 'x', reason: '非本单位职责' } })).toBe('非本单位职责');
  });
});
