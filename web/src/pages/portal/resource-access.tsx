import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Space, Typography } from 'antd';
import type { ResourceView } from '../../api/catalog.js';
import { rowsFileUrl } from '../../api/catalog.js';
import { useI18n } from '../../i18n/index.js';

/** Downloads in CSV/XLSX/JSON and the API calls a system would make for this resource. */
export function ResourceAccess({ resource }: { resource: ResourceView }) {
  const { t } = useI18n();
  const origin = window.location.origin;
  const code = encodeURIComponent(resource.code);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" title={<h2 className="ht-facet-title">{t('res.download')}</h2>}>
        <Typography.Paragraph type="secondary">{t('res.downloadHint')}</Typography.Paragraph>
        <Space wrap>
          {(['csv', 'xlsx', 'json'] as const).map((format) => (
            <Button
              key={format}
              icon={<DownloadOutlined aria-hidden />}
              href={rowsFileUrl(resource.code, format === 'json' ? 'ndjson' : format)}
              download
            >
              {format.toUpperCase()}
            </Button>
          ))}
        </Space>
      </Card>
      <Card size="small" title={<h2 className="ht-facet-title">{t('res.apiExample')}</h2>}>
        <Typography.Paragraph type="secondary">{t('res.apiHint')}</Typography.Paragraph>
        <pre className="ht-code">
          {`# ${t('res.metadata')}\ncurl ${origin}/api/v1/resources/${code}\n\n# ${t('res.preview')} (JSON)\ncurl -H "Authorization: Bearer ht_…" \\\n  "${origin}/api/v1/resources/${code}/rows?limit=100"\n\n# CSV\ncurl -H "Authorization: Bearer ht_…" -o data.csv \\\n  "${origin}/api/v1/resources/${code}/rows?format=csv"\n\n# SQL\ncurl -H "Authorization: Bearer ht_…" -H "Content-Type: application/json" \\\n  -d '{"sql":"SELECT * FROM \\"${resource.code}\\" LIMIT 10"}' ${origin}/api/v1/query`}
        </pre>
      </Card>
    </Space>
  );
}
