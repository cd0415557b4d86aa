import { useMutation } from '@tanstack/react-query';
import { App as AntApp, Button, Form, Input, Select } from 'antd';
import {
  type AccessRequestView,
  REJECTION_REASONS,
  type RejectionInput,
  sharingApi,
} from '../../../api/sharing.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { useI18n } from '../../../i18n/index.js';

/** Refusal with a coded reason (不予共享理由) and the explanation the applicant will read. */
export function RejectForm({ request: r, onDone }: { request: AccessRequestView; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const reject = useMutation({
    mutationFn: (v: RejectionInput) => sharingApi.reject(r.id, v),
    onSuccess: () => {
      message.success(t('rev.rejected'));
      onDone();
    },
  });
  return (
    <Form<RejectionInput> name="reject" layout="vertical" onFinish={(v) => reject.mutate(v)}>
      <Form.Item
        name="reason"
        label={t('rev.reason')}
        rules={[{ required: true, message: t('common.required', { field: t('rev.reason') }) }]}
      >
        <Select options={REJECTION_REASONS.map((code) => ({ value: code, label: t(`reason.${code}`) }))} />
      </Form.Item>
      <Form.Item
        name="text"
        label={t('rev.reasonText')}
        rules={[{ required: true, message: t('common.required', { field: t('rev.reasonText') }) }]}
      >
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      {reject.error && <ErrorAlert error={reject.error} action="submit" />}
      <Button danger type="primary" htmlType="submit" loading={reject.isPending}>
        {t('rev.reject')}
      </Button>
    </Form>
  );
}
