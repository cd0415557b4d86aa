import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIPELINE_REFUSALS } from '../../src/errors/index.js';

// Every refusal code of the pipeline is asserted through the API by at least one test: a call
// `expectRefusal(response, 'code')` (test/support/refusals.ts) in some test file, or for a
// refusal only the PostgreSQL listener can meet, `expectWireRefusal(answer, sqlstate, 'code')`
// (test/pg-wire/refusals.ts). A new code in src/errors/pipeline-refusals.ts without one fails here, naming it.

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('every refusal code of the pipeline', () => {
  it('is asserted through the API or the wire by some test (expectRefusal, expectWireRefusal)', () => {
    const asserted = new Set<string>();
    for (const file of [...testFiles('src'), ...testFiles('test')]) {
      const text = readFileSync(file, 'utf8');
      // The code is the call's last argument: read to the call's closing parenthesis.
      for (const call of text.matchAll(/expect(?:Wire)?Refusal\(/g)) {
        let depth = 1;
        let i = call.index + call[0].length;
        while (i < text.length && depth > 0) {
          if (text[i] === '(') depth++;
          else if (text[i] === ')') depth--;
          i++;
        }
        const code = /'([a-z_]+)',?\s*\)$/.exec(text.slice(call.index, i));
        if (code) asserted.add(code[1]!);
      }
    }
    const missing = Object.keys(PIPELINE_REFUSALS).filter((code) => !asserted.has(code));
    expect(
      missing,
      'assert these codes through HTTP with expectRefusal (or the wire with expectWireRefusal)',
    ).toEqual([]);
  });
});
