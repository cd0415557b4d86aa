import { Alert, Table, Tag } from 'antd';
import { PageHeader } from '../../components/page-header.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

const ROWS: { grade: 'general' | 'important' | 'core'; steps: MessageKey[]; rule: MessageKey }[] = [
  { grade: 'general', steps: ['reviewer.data_steward'], rule: 'pol.general' },
  {
    grade: 'important',
    steps: ['reviewer.data_steward', 'reviewer.security_officer'],
    rule: 'pol.important',
  },
  { grade: 'core', steps: ['reviewer.data_steward', 'reviewer.security_officer'], rule: 'pol.core' },
];

/** 安全策略: the platform's sharing rules by grade, as the server enforces them (they are not editable). */
export default function PoliciesPage() {
  const { t } = useI18n();
  return (
    <div className="ht-page">
      <PageHeader title={t('sec.policies.title')} subtitle={t('pol.subtitle')} />
      <Alert type="info" showIcon title={t('pol.fixed')} style={{ marginBottom: 16 }} />
      <Table
        rowKey="grade"
        pagination={false}
        dataSource={ROWS}
        columns={[
          { title: t('apply.grade'), key: 'g', render: (_, r) => t(`grade.${r.grade}` as MessageKey) },
          {
            title: t('req.steps'),
            key: 's',
            render: (_, r) => r.steps.map((s) => <Tag key={s}>{t(s)}</Tag>),
          },
          { title: t('pol.rule'), key: 'r', render: (_, r) => t(r.rule) },
        ]}
      />
      <ul style={{ marginTop: 16, lineHeight: 1.9 }}>
        <li>{t('pol.masks')}</li>
        <li>{t('pol.narrow')}</li>
        <li>{t('pol.audit')}</li>
        <li>{t('pol.threeRoles')}</li>
      </ul>
    </div>
  );
}
