import { Alert, Button } from 'antd';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

/** The message of any error, as the server worded it (in the UI's language) when it is ours. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An inline error with the server's message and a retry. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const requestCode = error instanceof ApiError ? ` (${error.code})` : '';
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t('error.title')}
      description={`${errorMessage(error)}${requestCode}`}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
