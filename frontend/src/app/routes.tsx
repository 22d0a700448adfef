import { Result } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes } from 'react-router-dom';
import {
  ADMIN_PAGES,
  AdminLayout,
  AuditPage,
  CalendarPage,
  ChannelsPage,
  ClientsPage,
  DeliveriesPage,
  PolicyPage,
  RequireRole,
  UnitsPage,
  UsersPage,
  WebhooksPage,
} from '@/features/admin';
import { AccountabilityPage } from '@/features/accountability';
import { AuthProvider, LoginPage, RequireAuth, useAuth } from '@/features/auth';
import { EscalationsPage } from '@/features/escalations';
import { ImportCenter } from '@/features/imports';
import { IntakePage } from '@/features/intake';
import { IssueCreatePage, IssueDetailPage, IssueEditPage, IssueListPage } from '@/features/issues';
import { NotificationsPage } from '@/features/notifications';
import { OfficeDeskPage, UnitWorkbenchPage } from '@/features/workbench';
import { PageLoading } from '@/shared/components/page-loading';
import { homeFor } from '@/shared/lib/role-home';
import { AppLayout } from './app-layout';

// echarts only loads with the reports page
const ReportsPage = lazy(() => import('@/features/reports').then((m) => ({ default: m.ReportsPage })));
const CockpitPage = lazy(() => import('@/features/reports').then((m) => ({ default: m.CockpitPage })));
const BoardPage = lazy(() => import('@/features/reports').then((m) => ({ default: m.BoardPage })));
const MeetingsPage = lazy(() => import('@/features/reports').then((m) => ({ default: m.MeetingsPage })));

const ADMIN_ELEMENTS: Record<string, ReactNode> = {
  '/admin/users': <UsersPage />,
  '/admin/units': <UnitsPage />,
  '/admin/clients': <ClientsPage />,
  '/admin/webhooks': <WebhooksPage />,
  '/admin/deliveries': <DeliveriesPage />,
  '/admin/escalation-policies': <PolicyPage />,
  '/admin/calendar': <CalendarPage />,
  '/admin/channels': <ChannelsPage />,
  '/admin/audit': <AuditPage />,
};

/** `/`: each role's own page (docs/architecture.md "The web app"), once the signed-in user is known. */
function RoleHome() {
  const { user, userError } = useAuth();
  if (!user && !userError) return <PageLoading />;
  return <Navigate to={homeFor(user?.role)} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('errors.pageNotFound')} extra={<Link to="/">{t('common.back')}</Link>} />;
}

export function AppRoutes() {
  return (
    <AuthProvider>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="/board"
          element={
            <RequireAuth>
              <Suspense fallback={<PageLoading />}>
                <BoardPage />
              </Suspense>
            </RequireAuth>
          }
        />

        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<RoleHome />} />
          <Route path="/workbench" element={<UnitWorkbenchPage />} />
          <Route path="/desk" element={<OfficeDeskPage />} />
          <Route
            path="/cockpit"
            element={
              <Suspense fallback={<PageLoading />}>
                <CockpitPage />
              </Suspense>
            }
          />

          <Route path="/issues" element={<IssueListPage />} />
          <Route path="/issues/new" element={<IssueCreatePage />} />
          <Route path="/issues/import" element={<RequireRole roles={['office', 'admin']}><ImportCenter /></RequireRole>} />
          <Route path="/issues/:id" element={<IssueDetailPage />} />
          <Route path="/issues/:id/edit" element={<IssueEditPage />} />
          <Route path="/intake" element={<IntakePage />} />
          <Route
            path="/reports"
            element={
              <Suspense fallback={<PageLoading />}>
                <ReportsPage />
              </Suspense>
            }
          />
          <Route
            path="/reports/meetings"
            element={
              <Suspense fallback={<PageLoading />}>
                <MeetingsPage />
              </Suspense>
            }
          />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/escalations" element={<EscalationsPage />} />
          <Route path="/accountability" element={<AccountabilityPage />} />
          <Route path="/admin" element={<AdminLayout />}>
            {ADMIN_PAGES.map((page) => (
              <Route key={page.path} path={page.path} element={<RequireRole roles={page.roles}>{ADMIN_ELEMENTS[page.path]}</RequireRole>} />
            ))}
          </Route>
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </AuthProvider>
  );
}
