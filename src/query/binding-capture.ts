import { BadRequestError } from '../errors/index.js';
import type { BindResourceInput } from './bindings.js';

/** The capture settings must name columns of the bound table (and only a table's changes are captured). */
export function checkCapture(input: BindResourceInput, available: Set<string>): void {
  const capture = input.capture;
  if (!capture) return;
  if (input.from.kind !== 'table')
    throw new BadRequestError('capture_not_supported', 'Only a resource bound to a table can be captured', {
      field: 'capture',
    });
  const named = [...capture.keyColumns, ...(capture.incrementalColumn ? [capture.incrementalColumn] : [])];
  const missing = [...new Set(named)].filter((c) => !available.has(c));
  if (missing.length)
    throw new BadRequestError('unknown_column', `No source column ${missing.join(', ')}`, {
      field: 'capture',
      missing,
      available: [...available],
    });
  if (new Set(capture.keyColumns).size !== capture.keyColumns.length)
    throw new BadRequestError('invalid_request', 'A key column is named twice', { field: 'capture' });
}
