import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** `from` and `to` days (inclusive, Asia/Shanghai) of usage queries. */
export const DayRangeQuery = z.strictObject({ from: day.optional(), to: day.optional() });
