import { CopyOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Checkbox, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/index.js';

/**
 * Shows a newly minted API key the one time it exists in clear. It cannot be closed until the
 * person confirms they stored it: the platform keeps only a hash and cannot show it again.
 */
export function KeyOnceModal({ apiKey, onClose }: { apiKey: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [stored, setStored] = useState(false);
  const copy = async () => {
    if (!apiKey) return;
    try {
      await navigator.clipboard.writeText(apiKey);
      message.success(t('action.copied'));
    } catch {
      // Clipboard access can be refused (insecure context); the key stays selectable on screen.
    }
  };
  return (
    <Modal
      open={apiKey !== null}
      title={t('keys.onceTitle')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      // Removed from the DOM on close: the secret must not linger in the page.
      destroyOnHidden
      footer={
        <Button
          type="primary"
          disabled={!stored}
          onClick={() => {
            setStored(false);
            onClose();
          }}
          data-testid="key-once-close"
        >
          {t('action.close')}
        </Button>
      }
      width={640}
    >
      <Alert type="warning" showIcon title={t('keys.onceBody')} style={{ marginBottom: 12 }} />
      <Input.TextArea
        readOnly
        value={apiKey ?? ''}
        autoSize
        className="ht-secret"
        data-testid="key-once-value"
        aria-label={t('apps.keys')}
      />
      <Button icon={<CopyOutlined />} onClick={copy} style={{ marginTop: 8 }}>
        {t('action.copy')}
      </Button>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 4 }} strong>
        {t('keys.usage')}
      </Typography.Paragraph>
      <pre className="ht-code">{`curl -H "Authorization: Bearer ${apiKey ?? ''}" \\\n  ${window.location.origin}/api/v1/auth/me`}</pre>
      <Checkbox
        checked={stored}
        onChange={(e) => setStored(e.target.checked)}
        style={{ marginTop: 12 }}
        data-testid="key-once-ack"
      >
        {t('keys.onceAck')}
      </Checkbox>
    </Modal>
  );
}
