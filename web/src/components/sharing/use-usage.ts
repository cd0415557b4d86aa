import { useQuery } from '@tanstack/react-query';
import { sharingApi, type UsageView } from '../../api/sharing.js';

/** Today in Asia/Shanghai (the day quotas count in), as YYYY-MM-DD. */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** The last 30 days of the organisation's usage, and today's per grant. */
export function useUsage(side: 'consumer' | 'provider' = 'consumer') {
  const usage = useQuery({ queryKey: ['usage', side], queryFn: () => sharingApi.usage(side) });
  const today = shanghaiToday();
  const todayByGrant = new Map<string, UsageView>();
  for (const u of usage.data?.items ?? []) if (u.day === today) todayByGrant.set(u.grantId, u);
  return { usage, todayByGrant };
}
