import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import {
  type CatalogChange,
  catalogReviewApi,
  REFUSAL_REASONS,
  type RefusalReason,
} from '../../../api/catalog-review.js';
import { useSession } from '../../../auth/session.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { DeadlineTag } from '../../../components/sharing/deadline-tag.js';
import { useI18n } from '../../../i18n/index.js';
import { DiffTable } from './diff-table.js';

const STATUS_COLOR = { pending: 'gold', approved: 'green', refused: 'red', withdrawn: 'default' } as const;

/** The status of a change as a tag. */
export function ChangeStatusTag({ status }: { status: CatalogChange['status'] }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(`cr.status.${status}`)}</Tag>;
}

/**
 * One change: its field-by-field diff, then — for a catalog reviewer who did not write it —
 * approve, or refuse with a coded reason; for the provider's steward, withdraw while pending.
 */
export function ChangeDrawer({
  change,
  onClose,
  onDecided,
}: {
  change: CatalogChange;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reasonCode?: RefusalReason; comment?: string }>();
  const reviewer = me!.roles.includes('catalog_reviewer');
  const steward =
    me!.organization.id === change.providerId &&
    me!.roles.some((r) => r === 'data_steward' || r === 'org_admin');
  const own = me!.user !== null && change.author === `user:${me!.user.id}`;
  const pending = change.status === 'pending';
  const decide = useMutation({
    mutationFn: async (verb: 'approve' | 'refuse' | 'withdraw') => {
      const comment = (form.getFieldValue('comment') ?? '').trim();
      if (verb === 'approve') return catalogReviewApi.approve(change.id, comment);
      if (verb === 'withdraw') return catalogReviewApi.withdraw(change.id);
      const { reasonCode } = await form.validateFields();
      return catalogReviewApi.refuse(change.id, reasonCode!, comment);
    },
    onSuccess: (_r, verb) => {
      message.success(
        t(verb === 'approve' ? 'cr.approved' : verb === 'refuse' ? 'cr.refused' : 'cr.withdrawn'),
      );
      onDecided();
    },
  });
  return (
    <Drawer
      open
      size="min(960px, 96vw)"
      title={`${t('cr.drawer')}：${change.resource.name}`}
      onClose={onClose}
      destroyOnHidden
    >
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('cr.resource')}>
          {change.resource.name} <code>{change.resource.code}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('cr.kind')}>
          {t(`cr.kind.${change.kind}`)}
          {change.baseVersion ? ` (v${change.baseVersion})` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('res.status')}>
          <ChangeStatusTag status={change.status} />
          {change.reasonCode ? <Tag>{t(`cr.reason.${change.reasonCode}`)}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('cr.submittedAt')}>
          {formatTime(change.submittedAt, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('req.deadline')}>
          <DeadlineTag clock={change.deadline} />
        </Descriptions.Item>
        {change.comment ? (
          <Descriptions.Item label={t('cr.comment')} span={2}>
            {change.comment}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
        {t('cr.diff')}
      </Typography.Title>
      <DiffTable t={t} diff={change.diff} publication={change.kind === 'publish'} />
      {decide.error && <ErrorAlert error={decide.error} />}
      {pending && reviewer && own && (
        <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('cr.ownChange')} />
      )}
      {pending && reviewer && !own && (
        <Form form={form} layout="vertical" style={{ marginTop: 16 }} name="catalog-review">
          <Form.Item
            name="reasonCode"
            label={t('cr.reason')}
            rules={[{ required: true, message: t('cr.reasonRequired') }]}
          >
            <Select
              allowClear
              data-testid="catalog-review-reason"
              options={REFUSAL_REASONS.map((r) => ({ value: r, label: t(`cr.reason.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="comment" label={t('cr.comment')} extra={t('cr.commentHint')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Space>
            <Button
              type="primary"
              loading={decide.isPending}
              onClick={() => decide.mutate('approve')}
              data-testid="catalog-review-approve"
            >
              {t('cr.approve')}
            </Button>
            <Button
              danger
              loading={decide.isPending}
              onClick={() => decide.mutate('refuse')}
              data-testid="catalog-review-refuse"
            >
              {t('cr.refuse')}
            </Button>
          </Space>
        </Form>
      )}
      {pending && steward && (
        <Button
          style={{ marginTop: 16 }}
          loading={decide.isPending}
          onClick={() => decide.mutate('withdraw')}
        >
          {t('cr.withdraw')}
        </Button>
      )}
    </Drawer>
  );
}
