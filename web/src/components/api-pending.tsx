import { ApiOutlined } from '@ant-design/icons';
import { Result, Typography } from 'antd';
import { useI18n } from '../i18n/index.js';

/**
 * The honest empty state of a screen whose API is not on this server yet: it names the
 * endpoint and lists what the screen will do, rather than showing invented data.
 */
export function ApiPending({ api, features }: { api: string; features?: string[] }) {
  const { t } = useI18n();
  return (
    <Result
      icon={<ApiOutlined aria-hidden />}
      title={t('pending.title')}
      subTitle={t('pending.body', { api })}
      extra={
        features && features.length > 0 ? (
          <div style={{ textAlign: 'left', display: 'inline-block', maxWidth: 560 }}>
            <Typography.Text strong>{t('pending.screenIntro')}</Typography.Text>
            <ul style={{ marginTop: 8 }}>
              {features.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </div>
        ) : null
      }
    />
  );
}
