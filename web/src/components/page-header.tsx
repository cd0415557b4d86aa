import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** The title row of a screen: an h1 for screen readers and the page's main actions. */
export function PageHeader({
  title,
  subtitle,
  extra,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div className="ht-page-header">
      <div>
        <Typography.Title level={1} className="ht-page-title">
          {title}
        </Typography.Title>
        {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
      </div>
      {extra && <div className="ht-page-actions">{extra}</div>}
    </div>
  );
}
