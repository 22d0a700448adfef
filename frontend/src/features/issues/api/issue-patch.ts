import type { IssueCreateAndAssign as IssueCreate, IssuePatch } from '@/api/generated/openapi';

/** The fields the edit form may change, in its order (campaign and source are fixed once an issue exists). */
const EDITABLE = ['title', 'description', 'kind', 'category_id', 'city', 'cause', 'measures'] as const satisfies readonly (keyof IssuePatch &
  keyof IssueCreate)[];

function stored(value: string | undefined | null): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/**
 * The PATCH body for an edit: only the fields that differ from the version the user started from, a cleared
 * optional field as null. What a colleague changed meanwhile and this user did not touch is left alone.
 */
export function editPatch(before: Partial<IssueCreate>, after: Partial<IssueCreate>): IssuePatch {
  const patch: Record<string, string | null> = {};
  for (const name of EDITABLE) {
    const now = stored(after[name]);
    if (now !== stored(before[name])) patch[name] = now;
  }
  return patch;
}
