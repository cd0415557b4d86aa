import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { api } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

interface Health {
  demo?: 'loading' | 'ready' | 'failed' | 'off';
}

/**
 * While the demo province loads in the background after a first start (GET /api/health says
 * `demo: "loading"`), a notice that pages may still be empty; it asks again every few seconds and
 * disappears when the demo is there.
 */
export function DemoNotice() {
  const { t } = useI18n();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => api.get<Health>('/api/health'),
    refetchInterval: (query) => (query.state.data?.demo === 'loading' ? 5000 : false),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (health.data?.demo !== 'loading') return null;
  return (
    <Alert
      type="info"
      showIcon
      banner
      role="status"
      data-testid="demo-loading"
      title={t('demo.loading')}
      style={{ position: 'sticky', top: 0, zIndex: 1000 }}
    />
  );
}
