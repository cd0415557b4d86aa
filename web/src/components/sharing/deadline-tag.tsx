import { Tag, Tooltip } from 'antd';
import type { DeadlineClock } from '../../api/sharing.js';
import { useI18n } from '../../i18n/index.js';

const COLORS: Record<DeadlineClock['state'], string> = {
  running: 'blue',
  due_today: 'orange',
  overdue: 'red',
  answered_on_time: 'green',
  answered_late: 'volcano',
  stopped: 'default',
};

/** A request's clock (时限): working days left or overdue, the due day on hover; provisional years flagged. */
export function DeadlineTag({ clock }: { clock: DeadlineClock }) {
  const { t } = useI18n();
  const days = Math.abs(clock.remainingWorkingDays);
  const detail = t('req.deadline.detail', { workingDays: clock.workingDays, dueDate: clock.dueDate });
  const warning = clock.provisional
    ? t('req.deadline.provisional', { years: clock.uncoveredYears.join('、') })
    : null;
  return (
    <Tooltip title={warning ? `${detail}；${warning}` : detail}>
      <Tag color={COLORS[clock.state]} data-testid="deadline" data-state={clock.state}>
        {t(`req.deadline.${clock.state}`, { days })}
        {clock.provisional ? ' *' : ''}
      </Tag>
    </Tooltip>
  );
}
