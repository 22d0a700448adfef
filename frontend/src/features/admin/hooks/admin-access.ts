import type { MeOut } from '@/api/generated/openapi';

export interface AdminPage {
  path: string;
  /** i18n key of the menu label */
  labelKey: string;
  roles: readonly MeOut['role'][];
}

/** The admin console's pages and who may open them (the API checks the same roles). */
export const ADMIN_PAGES: readonly AdminPage[] = [
  { path: '/admin/users', labelKey: 'admin.nav.users', roles: ['admin'] },
  { path: '/admin/units', labelKey: 'admin.nav.units', roles: ['admin'] },
  { path: '/admin/clients', labelKey: 'admin.nav.clients', roles: ['admin'] },
  { path: '/admin/webhooks', labelKey: 'admin.nav.webhooks', roles: ['admin', 'office'] },
  { path: '/admin/deliveries', labelKey: 'admin.nav.deliveries', roles: ['admin', 'office'] },
  { path: '/admin/escalation-policies', labelKey: 'admin.nav.policies', roles: ['admin', 'office'] },
  // anyone may read the calendar, only an admin may change it: the page is for changing it
  { path: '/admin/calendar', labelKey: 'admin.nav.calendar', roles: ['admin'] },
  { path: '/admin/channels', labelKey: 'admin.nav.channels', roles: ['admin', 'office'] },
  // the office may verify the chain; the event feed itself answers 403 to anyone but an admin
  { path: '/admin/audit', labelKey: 'admin.nav.audit', roles: ['admin', 'office'] },
];

/** Who may call GET /audit/verify, and who may read GET /events (issues_api/events/router.py). */
export const AUDIT_VERIFY_ROLES: readonly MeOut['role'][] = ['admin', 'office', 'leader'];
export const AUDIT_FEED_ROLES: readonly MeOut['role'][] = ['admin'];

export function adminPagesFor(role: MeOut['role'] | undefined): AdminPage[] {
  return role ? ADMIN_PAGES.filter((p) => p.roles.includes(role)) : [];
}

/** i18n key of a webhook event type: i18next splits keys on dots, so `escalation.fired` → `escalation_fired`. */
export function webhookEventKey(eventType: string): string {
  return `admin.webhookEvents.${eventType === '*' ? 'all' : eventType.replace(/\./g, '_')}`;
}
