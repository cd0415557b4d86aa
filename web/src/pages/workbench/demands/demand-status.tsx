import { Tag } from 'antd';
import type { DemandStatus } from '../../../api/demands.js';
import { useI18n } from '../../../i18n/index.js';

const COLOURS: Record<DemandStatus, string> = {
  submitted: 'gold',
  returned: 'orange',
  assigned: 'processing',
  awaiting_publication: 'cyan',
  closed: 'success',
  refused: 'red',
  withdrawn: 'default',
};

/** Every status of a demand, in the order of its life. */
export const DEMAND_STATUSES = Object.keys(COLOURS) as DemandStatus[];

/** A demand's status as a coloured tag (待分派, 办理中, 已办结…). */
export function DemandStatusTag({ status }: { status: DemandStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={COLOURS[status]} data-testid="demand-status" data-status={status}>
      {t(`dm.status.${status}`)}
    </Tag>
  );
}
