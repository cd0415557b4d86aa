import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useDocumentTitle } from '../layout/page-title.js';

/** The title row of a screen: an h1 (focused when the page opens), the document title, the main actions. */
export function PageHeader({
  title,
  subtitle,
  extra,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
}) {
  // The page's own title (`最低生活保障对象名单 - 汇通`) when the heading is plain text.
  useDocumentTitle(typeof title === 'string' ? title : undefined);
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
