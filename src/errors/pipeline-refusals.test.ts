import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIPELINE_REFUSALS } from './pipeline-refusals.js';

// The registry must not go stale: every code the pipeline's modules throw is registered. Codes are
// found in the arguments of `new …Error(…)`, `refuse(…)` and `narrowing(…)`, and in `const code =`.
const ROOTS = ['src/query', 'src/sharing'];
const SNAKE = /'([a-z]+(?:_[a-z]+)+)'/g;
const CALL = /(?:new [A-Za-z]*Error|\brefuse|\bnarrowing)\(/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The snake_case literals among the arguments of every error constructor call in `text`. */
function thrownCodes(text: string): string[] {
  const codes: string[] = [];
  for (const call of text.matchAll(CALL)) {
    let depth = 1;
    let i = call.index + call[0].length;
    const start = i;
    while (i < text.length && depth > 0) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
      i++;
    }
    for (const m of text.slice(start, i).matchAll(SNAKE)) codes.push(m[1]!);
  }
  for (const m of text.matchAll(/const code = '([a-z_]+)'/g)) codes.push(m[1]!);
  return codes;
}

describe('the registry of the pipeline’s refusal codes', () => {
  it('lists every code that query/ and sharing/ throw', () => {
    const unregistered = new Set<string>();
    for (const root of ROOTS)
      for (const file of sources(root))
        for (const code of thrownCodes(readFileSync(file, 'utf8')))
          if (!Object.hasOwn(PIPELINE_REFUSALS, code)) unregistered.add(`${code} (${file})`);
    expect([...unregistered], 'add these codes to src/errors/pipeline-refusals.ts').toEqual([]);
  });

  it('finds codes in nested calls and template literals', () => {
    const text =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text is source code under test
      "throw new TooManyRequestsError(`at most ${n(1)} a minute`, Math.ceil((a - b) / 1000), 'verification_rate_limited');";
    expect(thrownCodes(text)).toEqual(['verification_rate_limited']);
  });
});
