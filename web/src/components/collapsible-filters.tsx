import { FilterOutlined } from '@ant-design/icons';
import { Grid } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';

/**
 * Filters beside the results on a wide screen; on a narrow one (below `lg`, 992 px: phones and
 * 200 % zoom) folded into one line that opens them, so that the first result is near the top.
 */
export function CollapsibleFilters({ children, active = 0 }: { children: ReactNode; active?: number }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  if (screens.lg !== false) return <>{children}</>;
  return (
    <details className="ht-filters">
      <summary>
        <FilterOutlined aria-hidden /> {t('filters.show')}
        {active > 0 ? ` (${active})` : ''}
      </summary>
      {children}
    </details>
  );
}
