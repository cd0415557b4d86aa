import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/index.js';

/** The platform's mark and name, linking home. */
export function Brand({ collapsed = false, to = '/' }: { collapsed?: boolean; to?: string }) {
  const { t } = useI18n();
  return (
    <Link to={to} className="ht-brand" aria-label={t('app.name')}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {!collapsed && <span>{t('app.name')}</span>}
    </Link>
  );
}
