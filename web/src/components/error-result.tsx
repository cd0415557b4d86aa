import { Alert, Button } from 'antd';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

/** The message of any error, as the server worded it (in the UI's language) when it is ours. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** What failed: a load, a submitted form, a query, a verification, a save. */
export type FailedAction = 'load' | 'submit' | 'query' | 'verify' | 'save';

const TITLES = {
  load: 'error.title',
  submit: 'error.submit',
  query: 'error.query',
  verify: 'error.verify',
  save: 'error.save',
} as const;

/** The field problems of a 400 `invalid_request` ({path, message}), already in the UI's language. */
function fieldProblems(error: unknown): string[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return error.details.flatMap((d: unknown) => {
    const { path, message } = (d ?? {}) as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    return [typeof path === 'string' && path ? `${path}：${message}` : message];
  });
}

/** An inline error under a title that says what failed, with the server's message and a retry. */
export function ErrorAlert({
  error,
  onRetry,
  action = 'load',
}: {
  error: unknown;
  onRetry?: () => void;
  action?: FailedAction;
}) {
  const { t } = useI18n();
  const problems = fieldProblems(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t(TITLES[action])}
      description={
        <>
          <div>{errorMessage(error)}</div>
          {problems.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </>
      }
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
