import { useLocation } from 'react-router-dom';
import { ApiPending } from '../components/api-pending.js';
import { PageHeader } from '../components/page-header.js';
import { type MessageKey, useI18n } from '../i18n/index.js';

interface PendingScreen {
  title: MessageKey;
  /** The endpoint the screen is built on, as the design names it. */
  api: string;
  features: MessageKey[];
}

// Screens whose API is not on the server yet. Each names the endpoint it waits for; when the
// endpoint lands, the screen gets its own page file and leaves this table.
const SCREENS: Record<string, PendingScreen> = {
  '/security/policies': {
    title: 'sec.policies.title',
    api: 'GET /api/v1/policies',
    features: ['sec.policies.f1', 'sec.policies.f2'],
  },
  '/security/grants': {
    title: 'sec.grants.title',
    api: 'GET /api/v1/grants?all=true',
    features: ['sec.grants.f1', 'sec.grants.f2'],
  },
  '/audit/log': {
    title: 'aud.log.title',
    api: 'GET /api/v1/audit/events',
    features: ['aud.log.f1', 'aud.log.f2'],
  },
  '/audit/checkpoints': {
    title: 'aud.checkpoints.title',
    api: 'GET /api/v1/audit/checkpoints',
    features: ['aud.checkpoints.f1', 'aud.checkpoints.f2'],
  },
};

/** A screen of the console whose API has not landed: its title and an honest empty state. */
export default function PendingScreens() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const screen = SCREENS[pathname];
  if (!screen) return <ApiPending api={pathname} />;
  return (
    <div className="ht-page">
      <PageHeader title={t(screen.title)} />
      <div style={{ background: '#fff', borderRadius: 4 }}>
        <ApiPending api={screen.api} features={screen.features.map((f) => t(f))} />
      </div>
    </div>
  );
}
