import { Button, Result } from 'antd';
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Adaptive, PageSpinner, RequireRoles } from './auth/guards.js';
import { useSession } from './auth/session.js';
import { useI18n } from './i18n/index.js';
import { rolesForPath } from './layout/menu.js';
import { useDocumentTitle } from './layout/page-title.js';

// Every screen is its own chunk: the first load carries only the frame and the login page.
const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);
const LoginPage = page(() => import('./pages/auth/login-page.js'));
const HomePage = page(() => import('./pages/auth/home-page.js'));
const AccountPage = page(() => import('./pages/auth/account-page.js'));
const ChangePasswordPage = page(() => import('./pages/auth/change-password-page.js'));
const OrganizationsPage = page(() => import('./pages/admin/organizations-page.js'));
const UsersPage = page(() => import('./pages/admin/users-page.js'));
const RolesPage = page(() => import('./pages/admin/roles-page.js'));
const MetricsPage = page(() => import('./pages/admin/metrics-page.js'));
const CalendarPage = page(() => import('./pages/admin/calendar-page.js'));
const DeadlinesPage = page(() => import('./pages/dashboards/deadlines-page.js'));
const AssessmentsPage = page(() => import('./pages/dashboards/assessments-page.js'));
const QualityPage = page(() => import('./pages/dashboards/quality-page.js'));
const QualityResourcePage = page(() => import('./pages/dashboards/quality-resource-page.js'));
const ApplicationsPage = page(() => import('./pages/workbench/applications-page.js'));
const DemandsPage = page(() => import('./pages/workbench/demands/demands-page.js'));
const SearchPage = page(() => import('./pages/portal/search-page.js'));
const ResourcePage = page(() => import('./pages/portal/resource-page.js'));
const OrganizationPortalPage = page(() => import('./pages/portal/organization-page.js'));
const PortalStatsPage = page(() => import('./pages/portal/stats-page.js'));
const OverviewDashboard = page(() => import('./pages/dashboards/overview-page.js'));
const ResourcesPage = page(() => import('./pages/provider/resources-page.js'));
const SharedCatalogPage = page(() => import('./pages/workbench/shared-catalog-page.js'));
const RequestsPage = page(() => import('./pages/workbench/requests-page.js'));
const RemoteRequestsPage = page(() => import('./pages/workbench/remote-requests-page.js'));
const GrantsPage = page(() => import('./pages/workbench/grants-page.js'));
const UsagePage = page(() => import('./pages/workbench/usage-page.js'));
const SqlPage = page(() => import('./pages/workbench/sql/sql-page.js'));
const StatisticsPage = page(() => import('./pages/workbench/statistics-page.js'));
const SourcesPage = page(() => import('./pages/provider/sources/sources-page.js'));
const ImportPage = page(() => import('./pages/provider/import-page.js'));
const ReviewsPage = page(() => import('./pages/provider/reviews/reviews-page.js'));
const ReleaseReviewsPage = page(() => import('./pages/provider/release-reviews/release-reviews-page.js'));
const CatalogReviewPage = page(() => import('./pages/provider/catalog-review/catalog-review-page.js'));
const LineagePage = page(() => import('./pages/provider/lineage-page.js'));
const PrivacyBudgetsPage = page(() => import('./pages/provider/privacy-budgets-page.js'));
const ObjectionsPage = page(() => import('./pages/workbench/objections/objections-page.js'));
const ObjectionsReceivedPage = page(() => import('./pages/provider/objections-page.js'));
const AuditLogPage = page(() => import('./pages/audit/log-page.js'));
const CheckpointsPage = page(() => import('./pages/audit/checkpoints-page.js'));
const GrantsOverviewPage = page(() => import('./pages/security/grants-overview-page.js'));
const PoliciesPage = page(() => import('./pages/security/policies-page.js'));
const WarningPage = page(() => import('./pages/security/warning-page.js'));
const TracePage = page(() => import('./pages/security/trace-page.js'));
const SubscriptionsPage = page(() => import('./pages/workbench/subscriptions/subscriptions-page.js'));
const CapturePage = page(() => import('./pages/admin/capture-page.js'));
const FederationPage = page(() => import('./pages/admin/federation-page.js'));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSpinner />}>{children}</Suspense>;
}

/** A signed-in screen guarded by the roles its menu entry lists. */
function Guarded({ children }: { children: ReactNode }) {
  const location = useLocation();
  return (
    <RequireRoles roles={rolesForPath(location.pathname) ?? []}>
      <Lazy>{children}</Lazy>
    </RequireRoles>
  );
}

function Start() {
  const { me } = useSession();
  if (me === undefined) return <PageSpinner />;
  return <Navigate to={me ? '/home' : '/portal'} replace />;
}

function NotFound() {
  const { t } = useI18n();
  useDocumentTitle(t('error.notFound'));
  return (
    <Result
      status="404"
      title={<h1 className="ht-result-heading">404</h1>}
      subTitle={t('error.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('error.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** The URL map of the UI. */
export function AppRoutes() {
  const open = (node: ReactNode) => (
    <Adaptive>
      <Lazy>{node}</Lazy>
    </Adaptive>
  );
  const guarded = (node: ReactNode) => <Guarded>{node}</Guarded>;
  return (
    <Routes>
      <Route path="/" element={<Start />} />
      <Route
        path="/login"
        element={
          <Lazy>
            <LoginPage />
          </Lazy>
        }
      />
      <Route
        path="/change-password"
        element={
          <Lazy>
            <ChangePasswordPage />
          </Lazy>
        }
      />
      <Route path="/home" element={guarded(<HomePage />)} />
      <Route path="/account" element={guarded(<AccountPage />)} />
      <Route path="/portal" element={open(<SearchPage />)} />
      <Route path="/portal/resources/:code" element={open(<ResourcePage />)} />
      <Route path="/portal/organizations/:id" element={open(<OrganizationPortalPage />)} />
      <Route path="/portal/stats" element={open(<PortalStatsPage />)} />
      <Route path="/admin/organizations" element={guarded(<OrganizationsPage />)} />
      <Route path="/admin/users" element={guarded(<UsersPage />)} />
      <Route path="/admin/roles" element={guarded(<RolesPage />)} />
      <Route path="/admin/metrics" element={guarded(<MetricsPage />)} />
      <Route path="/dashboards/deadlines" element={guarded(<DeadlinesPage />)} />
      <Route path="/dashboards/assessments" element={guarded(<AssessmentsPage />)} />
      <Route path="/dashboards/quality" element={guarded(<QualityPage />)} />
      <Route path="/dashboards/quality/:code" element={guarded(<QualityResourcePage />)} />
      <Route path="/admin/calendar" element={guarded(<CalendarPage />)} />
      <Route path="/admin/capture" element={guarded(<CapturePage />)} />
      <Route path="/admin/federation" element={guarded(<FederationPage />)} />
      <Route path="/workbench/apps" element={guarded(<ApplicationsPage />)} />
      <Route path="/workbench/subscriptions" element={guarded(<SubscriptionsPage />)} />
      <Route path="/workbench/demands" element={guarded(<DemandsPage />)} />
      <Route path="/workbench/catalog" element={guarded(<SharedCatalogPage />)} />
      <Route path="/workbench/requests" element={guarded(<RequestsPage />)} />
      <Route path="/workbench/remote-requests" element={guarded(<RemoteRequestsPage />)} />
      <Route path="/workbench/grants" element={guarded(<GrantsPage />)} />
      <Route path="/workbench/usage" element={guarded(<UsagePage />)} />
      <Route path="/workbench/sql" element={guarded(<SqlPage />)} />
      <Route path="/workbench/statistics" element={guarded(<StatisticsPage />)} />
      <Route path="/provider/resources" element={guarded(<ResourcesPage />)} />
      <Route path="/provider/sources" element={guarded(<SourcesPage />)} />
      <Route path="/provider/import" element={guarded(<ImportPage />)} />
      <Route path="/provider/reviews" element={guarded(<ReviewsPage />)} />
      <Route path="/provider/release-reviews" element={guarded(<ReleaseReviewsPage />)} />
      <Route path="/provider/catalog-review" element={guarded(<CatalogReviewPage />)} />
      <Route path="/provider/lineage" element={guarded(<LineagePage />)} />
      <Route path="/provider/privacy-budgets" element={guarded(<PrivacyBudgetsPage />)} />
      <Route path="/workbench/objections" element={guarded(<ObjectionsPage />)} />
      <Route path="/provider/objections" element={guarded(<ObjectionsReceivedPage />)} />
      <Route path="/audit/log" element={guarded(<AuditLogPage />)} />
      <Route path="/audit/checkpoints" element={guarded(<CheckpointsPage />)} />
      <Route path="/security/grants" element={guarded(<GrantsOverviewPage />)} />
      <Route path="/security/policies" element={guarded(<PoliciesPage />)} />
      <Route path="/security/warning" element={guarded(<WarningPage />)} />
      <Route path="/security/trace" element={guarded(<TracePage />)} />
      <Route path="/dashboards/overview" element={guarded(<OverviewDashboard />)} />
      <Route
        path="*"
        element={
          <Adaptive>
            <NotFound />
          </Adaptive>
        }
      />
    </Routes>
  );
}
