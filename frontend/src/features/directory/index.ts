export { directoryQueries } from './api/directory-api';
export { useUnits } from './hooks/use-units';
export { useCategories } from './hooks/use-categories';
