export { ADMIN_PAGES, adminPagesFor, type AdminPage } from './hooks/admin-access';
export { RequireRole } from './components/require-role';
export { UsersPage } from './components/users-page';
export { UnitsPage } from './components/units-page';
export { ClientsPage } from './components/clients-page';
export { WebhooksPage } from './components/webhooks-page';
export { DeliveriesPage } from './components/deliveries-page';
export { AdminLayout } from './components/admin-layout';
