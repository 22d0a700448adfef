import { apiPost } from '@/api/client';
import type { CampaignImportPreview, CampaignImportResult, DefinitionProblemOut } from '@/api/generated/openapi';

export type {
  CampaignImportPreview,
  CampaignImportResult,
  CategoryPreview,
  DefinitionProblemOut,
  PhasePreview,
  TaskPreview,
  UnitPreview,
} from '@/api/generated/openapi';

const form = (file: File) => {
  const body = new FormData();
  body.append('file', file, file.name);
  return body;
};

/** What importing the definition file would change, and every problem with its field path: nothing written. */
export function previewCampaignFile(file: File): Promise<CampaignImportPreview> {
  return apiPost<CampaignImportPreview>('/api/v1/campaigns/import', form(file), { query: { dry_run: true } });
}

/** The campaign, its missing units and its tasks created at once (409 when the code was taken meanwhile). */
export function importCampaignFile(file: File): Promise<CampaignImportResult> {
  return apiPost<CampaignImportResult>('/api/v1/campaigns/import', form(file));
}

export type PreviewSection = 'phases' | 'categories' | 'units' | 'tasks';

/** The problems of each row of a section, by the row's position in the file (`tasks[3].lead_unit` → tasks, 3). */
export function problemsByRow(problems: DefinitionProblemOut[], section: PreviewSection): Map<number, DefinitionProblemOut[]> {
  const rows = new Map<number, DefinitionProblemOut[]>();
  const pattern = new RegExp(`^${section}\\[(\\d+)\\]`);
  for (const problem of problems) {
    const match = pattern.exec(problem.field);
    if (!match?.[1]) continue;
    const index = Number(match[1]);
    rows.set(index, [...(rows.get(index) ?? []), problem]);
  }
  return rows;
}
