import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Tabs } from 'antd';
import { catalogApi } from '../../../api/catalog.js';
import type { AccessRequestView } from '../../../api/sharing.js';
import { formatNumber } from '../../../components/format.js';
import { useI18n } from '../../../i18n/index.js';
import { RequestDetails } from '../../workbench/request-details.js';
import { ApplicationRisk } from './application-risk.js';
import { ApproveForm } from './approve-form.js';
import { EarlierDecision } from './earlier-decision.js';
import { RejectForm } from './reject-form.js';

/** One request under review: what was asked and why, then approve (in part) or reject. */
export function ReviewDrawer({
  request: r,
  canDecide,
  onClose,
  onDone,
}: {
  request: AccessRequestView;
  canDecide: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const resource = useQuery({
    queryKey: ['resource', r.resource.code],
    queryFn: () => catalogApi.resource(r.resource.code),
  });
  return (
    <Drawer open size="min(980px, 96vw)" title={t('rev.title', { name: r.resource.name })} onClose={onClose}>
      <Descriptions
        size="small"
        bordered
        title={t('rev.applicant')}
        style={{ marginBottom: 12 }}
        data-testid="applicant"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'o', label: t('rev.applicantOrg'), children: r.applicant.organization.name },
          {
            key: 'p',
            label: t('rev.applicantPerson'),
            children: r.applicant.person
              ? `${r.applicant.person.displayName}（${r.applicant.person.username}）`
              : '—',
          },
          { key: 'a', label: t('rev.applicantApp'), children: r.applicant.application.name },
        ]}
      />
      <ApplicationRisk applicationId={r.applicant.application.id} />
      <RequestDetails request={r} />
      <EarlierDecision request={r} />
      <Descriptions
        size="small"
        style={{ margin: '12px 0' }}
        items={[
          { key: 'c', label: t('apply.callsPerDay'), children: formatNumber(r.expectedCallsPerDay, lang) },
          { key: 'r', label: t('apply.rowsPerDay'), children: formatNumber(r.expectedRowsPerDay, lang) },
          { key: 'g', label: t('apply.grade'), children: t(`grade.${r.resource.grade}` as 'grade.general') },
        ]}
      />
      {canDecide && (
        <Tabs
          items={[
            {
              key: 'approve',
              label: t('rev.approveTab'),
              children: <ApproveForm request={r} resource={resource.data} onDone={onDone} />,
            },
            {
              key: 'reject',
              label: t('rev.rejectTab'),
              children: <RejectForm request={r} onDone={onDone} />,
            },
          ]}
        />
      )}
    </Drawer>
  );
}
