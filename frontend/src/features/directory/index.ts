export { directoryQueries } from './api/directory-api';
export { useUnits } from './hooks/use-units';
