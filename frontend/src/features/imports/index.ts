export { ImportPage } from './components/import-page';
export { ImportCenter } from './components/import-center';
export { CampaignImportPage } from './components/campaign-import-page';
export { ImportPreview, ImportSummary } from './components/import-preview';
export type { PreviewRow, RowError } from './api/imports-api';
