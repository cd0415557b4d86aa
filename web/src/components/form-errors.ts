import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.js';

/**
 * Puts a server refusal next to the field it names (`details.field`, or the paths of a schema
 * refusal), so the person sees the server's words where they typed, and scrolls to the first
 * such field (a long form may have it out of view). Returns whether it did.
 */
export function showFieldErrors(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const details = error.details as { field?: string } | { path?: string; message?: string }[] | undefined;
  const named: { name: string; errors: string[] }[] = [];
  if (details && !Array.isArray(details) && details.field && fields.includes(details.field)) {
    named.push({ name: details.field, errors: [error.message] });
  } else if (Array.isArray(details)) {
    for (const d of details) {
      const name = d.path?.split('.')[0];
      if (name && fields.includes(name)) named.push({ name, errors: [d.message ?? error.message] });
    }
  }
  if (named.length === 0) return false;
  form.setFields(named);
  form.scrollToField(named[0]!.name, { block: 'center' });
  return true;
}
