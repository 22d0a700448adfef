export { ImportPage } from './components/import-page';
export { ImportPreview, ImportSummary } from './components/import-preview';
export type { PreviewRow, RowError } from './api/imports-api';
