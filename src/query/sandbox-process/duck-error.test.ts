import { describe, expect, it } from 'vitest';
import { sandboxFailureOf } from './duck-error.js';

describe('sandboxFailureOf', () => {
  it('keeps only the class of a run-time error, whose text quotes the data', () => {
    for (const [message, failureClass] of [
      ['Invalid Input Error: 张三|350502199001012447', 'invalid_input'],
      ["Conversion Error: Could not convert string '张三' to INT32 when casting", 'conversion'],
      ['Out of Range Error: Overflow in addition of INT64 (9 + 9)!', 'out_of_range'],
      ["Not implemented Error: Unknown TimeZone '张三'!", 'not_implemented'],
      ['Parser Error: syntax error at or near "张三"', 'syntax'],
      ['INTERRUPT Error: Interrupted!', 'interrupt'],
      ['Out of Memory Error: failed to allocate 张三', 'out_of_memory'],
    ] as const) {
      expect(sandboxFailureOf(new Error(message))).toEqual({ class: failureClass });
    }
  });

  it('keeps the first line of binder and catalog errors, raised before any row is read', () => {
    expect(
      sandboxFailureOf(new Error('Binder Error: Referenced column "x" not found!\nCandidate bindings: "xm"')),
    ).toEqual({ class: 'binder', text: 'Referenced column "x" not found! Candidate bindings: "xm"' });
    // The position in the consumer's own SQL travels too, for the console to point at it.
    expect(
      sandboxFailureOf(
        new Error(
          'Binder Error: Referenced column "x" not found!\n\nLINE 1: SELECT x FROM t\n               ^',
        ),
      ),
    ).toMatchObject({ class: 'binder', line: 1, column: 8 });
    expect(sandboxFailureOf(new Error('Catalog Error: Scalar Function with name f does not exist!'))).toEqual(
      {
        class: 'catalog',
        text: 'Scalar Function with name f does not exist!',
      },
    );
  });

  it('answers "other", with no text, for anything it does not know', () => {
    expect(sandboxFailureOf(new Error('张三 Error: 350502199001012447'))).toEqual({ class: 'other' });
    expect(sandboxFailureOf(new Error('constructor Error: x'))).toEqual({ class: 'other' });
    expect(sandboxFailureOf(new Error('Binder Error:no space'))).toEqual({ class: 'other' });
    expect(sandboxFailureOf('Binder Error: a string, not an Error')).toEqual({ class: 'other' });
    expect(sandboxFailureOf(new TypeError('Cannot convert 张三 to a BigInt'))).toEqual({ class: 'other' });
  });
});
