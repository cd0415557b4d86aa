import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Typography } from 'antd';
import { auditApi } from '../../api/audit.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatNumber, formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

/** 检查点与验证: the latest signed checkpoint, the verifier key, and a full verification on demand. */
export default function CheckpointsPage() {
  const { t, lang } = useI18n();
  const checkpoint = useQuery({ queryKey: ['audit-checkpoint'], queryFn: auditApi.checkpoint });
  const key = useQuery({ queryKey: ['audit-key'], queryFn: auditApi.publicKey });
  const verify = useMutation({ mutationFn: auditApi.verify, onSuccess: () => checkpoint.refetch() });
  const c = checkpoint.data;
  const report = verify.data?.report;

  return (
    <div className="ht-page">
      <PageHeader title={t('aud.checkpoints.title')} subtitle={t('aud.cpSubtitle')} />
      {checkpoint.error && <ErrorAlert error={checkpoint.error} onRetry={() => checkpoint.refetch()} />}
      <Card title={t('aud.latest')} style={{ marginBottom: 16 }}>
        {c && (
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 's', label: t('aud.treeSize'), children: formatNumber(c.treeSize, lang) },
              { key: 'r', label: t('aud.root'), children: <code>{c.rootHash}</code> },
              { key: 't', label: t('aud.signedAt'), children: formatTime(c.createdAt, lang) },
              {
                key: 'k',
                label: t('aud.vkey'),
                children: <code style={{ wordBreak: 'break-all' }}>{key.data?.vkey}</code>,
              },
            ]}
          />
        )}
        {c && (
          <>
            <Typography.Title level={2} style={{ fontSize: 15, marginTop: 16 }}>
              {t('aud.note')}
            </Typography.Title>
            <pre className="ht-json">{c.note}</pre>
          </>
        )}
      </Card>
      <Card title={t('aud.verifyTitle')}>
        <Typography.Paragraph type="secondary">{t('aud.verifyHelp')}</Typography.Paragraph>
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={verify.isPending}
          onClick={() => verify.mutate()}
          data-testid="audit-verify"
        >
          {t('aud.verifyNow')}
        </Button>
        {verify.error && <ErrorAlert error={verify.error} action="verify" />}
        {report && (
          <Alert
            role="status"
            style={{ marginTop: 16 }}
            showIcon
            type={report.ok ? 'success' : 'error'}
            title={
              report.ok
                ? t('aud.verified', { size: report.treeSize, n: report.checkpointsVerified })
                : t('aud.broken', { index: report.problem?.index ?? '?', code: report.problem?.code ?? '' })
            }
            description={report.ok ? `${t('aud.root')}: ${report.rootHash}` : report.problem?.message}
            data-testid="audit-verify-result"
          />
        )}
      </Card>
    </div>
  );
}
