import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import type { Role } from '../api/identity.js';
import { useI18n } from '../i18n/index.js';
import { AppShell } from '../layout/app-shell.js';
import { PublicLayout } from '../layout/public-layout.js';
import { useSession } from './session.js';

export function PageSpinner() {
  const { t } = useI18n();
  return (
    <div className="ht-center" role="status" aria-live="polite">
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

// A password an administrator set must be changed before anything else (the API refuses the rest).
function toPasswordChange(pathname: string) {
  return <Navigate to={`/change-password?next=${encodeURIComponent(pathname)}`} replace />;
}

/** Signed-in screens: to the login page when anonymous, a 403 when the roles do not fit. */
export function RequireRoles({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { me, hasRole } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (me === undefined) return <PageSpinner />;
  if (me === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (me.user?.mustChangePassword) return toPasswordChange(location.pathname);
  const allowed = roles.length === 0 || hasRole(...roles);
  return (
    <AppShell>
      {allowed ? (
        children
      ) : (
        <Result
          status="403"
          title="403"
          subTitle={t('error.forbidden')}
          extra={
            <Link to="/home">
              <Button type="primary">{t('error.backHome')}</Button>
            </Link>
          }
        />
      )}
    </AppShell>
  );
}

/** Screens open to everyone (the portal): the console frame when signed in, the public one otherwise. */
export function Adaptive({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <PageSpinner />;
  if (me?.user?.mustChangePassword) return toPasswordChange(location.pathname);
  return me ? <AppShell>{children}</AppShell> : <PublicLayout>{children}</PublicLayout>;
}
