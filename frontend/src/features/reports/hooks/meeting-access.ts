import type { Role } from '@/api/types';

/** As report-api's meetings router: leaders read the snapshots, only the office and admins create them. */
export const MEETING_READERS: readonly Role[] = ['leader', 'office', 'admin'];
export const MEETING_WRITERS: readonly Role[] = ['office', 'admin'];
