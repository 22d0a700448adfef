import type { MeOut } from '@/api/generated/openapi';

/** As report-api's meetings router: leaders read the snapshots, only the office and admins create them. */
export const MEETING_READERS: readonly MeOut['role'][] = ['leader', 'office', 'admin'];
export const MEETING_WRITERS: readonly MeOut['role'][] = ['office', 'admin'];
