import { describe, expect, it } from 'vitest';
import { editPatch } from '@/features/issues/api/issue-patch';

const before = {
  campaign_id: 'c1',
  source: 'inspection' as const,
  title: '窗口推诿',
  description: '企业反映',
  kind: 'problem' as const,
  category_id: 'k1',
  city: '石家庄',
  measures: undefined,
};

describe('editPatch', () => {
  it('holds only the changed fields, a cleared one as null and a newly filled one as its value', () => {
    expect(editPatch(before, { ...before, title: '窗口推诿（已核实）', city: '  ', measures: '限期整改' })).toEqual({
      title: '窗口推诿（已核实）',
      city: null,
      measures: '限期整改',
    });
  });

  it('is empty when nothing changed, however a blank is spelled', () => {
    expect(editPatch(before, { ...before, cause: '', measures: undefined })).toEqual({});
  });

  it('never sends the campaign or the source, which an issue keeps', () => {
    expect(editPatch(before, { ...before, campaign_id: 'c2', source: 'public' })).toEqual({});
  });
});
