import { describe, expect, it } from 'vitest';
import type { SecureView } from './secure-view.js';
import { fieldsToLoad } from './sql.js';

// Only the columns a query mentions leave the source for the sandbox: the rest of a grant's
// columns are never read (less data moved, less in the sandbox's memory).
const view = { columns: ['xm', 'SFZH', 'qh'].map((name) => ({ name })) } as unknown as SecureView;

describe('fieldsToLoad', () => {
  it('loads every column under a star or a whole-row reference', () => {
    expect(fieldsToLoad(view, 'all')).toEqual(['xm', 'SFZH', 'qh']);
  });

  it('loads the columns the SQL mentions, whatever their case, in the view’s order', () => {
    expect(fieldsToLoad(view, new Set(['qh', 'sfzh']))).toEqual(['SFZH', 'qh']);
  });

  it('loads one column when none is mentioned, so that count(*) still sees every row', () => {
    expect(fieldsToLoad(view, new Set())).toEqual(['xm']);
    expect(fieldsToLoad(view, new Set(['other']))).toEqual(['xm']);
  });
});
