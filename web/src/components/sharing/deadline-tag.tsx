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

/**
 * The clock (时限) of a request, objection, demand or catalog change: working days left or
 * overdue, the due day on hover; provisional years flagged. A dash when the step has no clock (a
 * demand not assigned yet).
 */
export function DeadlineTag({ clock }: { clock: DeadlineClock | null | undefined }) {
  const { t } = useI18n();
  if (!clock) return <span data-testid="deadline">—</span>;
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
