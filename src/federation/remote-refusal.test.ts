import { describe, expect, it } from 'vitest';
import { refusalOf } from './remote-request-exchange.js';

const body = (code: string, message: string) => Buffer.from(JSON.stringify({ error: { code, message } }));

describe('a provider node’s refusal as the caller receives it', () => {
  it('keeps a known 4xx code, with the provider’s text named as its words, on one line and cut short', () => {
    const refusal = refusalOf('fj-350000', 403, body('no_grant', `no grant\u0000\n${'很'.repeat(1000)}`));
    expect(refusal.status).toBe(403);
    expect(refusal.code).toBe('no_grant');
    expect(refusal.message.startsWith('Node fj-350000: no grant ')).toBe(true);
    expect(refusal.message.includes('\u0000') || refusal.message.includes('\n')).toBe(false);
    expect(refusal.message.length).toBeLessThanOrEqual('Node fj-350000: '.length + 300);
  });

  it('answers peer_bad_answer for a code that is not ours, a 5xx or a body that is not our error', () => {
    expect(refusalOf('fj-350000', 403, body('made_up', 'x')).code).toBe('peer_bad_answer');
    expect(refusalOf('fj-350000', 500, body('no_grant', 'x')).code).toBe('peer_bad_answer');
    expect(refusalOf('fj-350000', 404, Buffer.from('<html>not found</html>')).code).toBe('peer_bad_answer');
    // Unavailable is passed on: the caller may try again later.
    expect(refusalOf('fj-350000', 503, body('sandbox_unavailable', 'busy')).status).toBe(503);
  });
});
