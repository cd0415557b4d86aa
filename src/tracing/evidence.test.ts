import { describe, expect, it } from 'vitest';
import { evidenceHtml } from './evidence.js';

describe('evidenceHtml', () => {
  it('lists resources and suspects, escaping every value', () => {
    const html = evidenceHtml(
      {
        format: 'csv',
        encoding: 'utf-8',
        rows: 3,
        epsilon: 1e-6,
        resources: [
          {
            code: 'R-1',
            name: '<资源>',
            keyColumn: '编号',
            tolerantColumns: ['金额'],
            positions: 9,
            threshold: 40,
            candidates: 2,
          },
        ],
        suspects: [
          {
            resource: 'R-1',
            recipient: 'app:a',
            kind: 'application',
            id: 'a',
            name: '应用"甲"',
            organization: { id: 'o', name: '单位' },
            keys: [{ id: 'k1', name: '对接密钥', createdBy: '张三（zhangsan）' }],
            score: 50,
            innocentProbability: 1e-9,
            accused: true,
            releases: [{ index: 4, time: 't' }],
          },
        ],
      },
      {
        sha256: 'ab',
        tracedAt: 'now',
        by: 'officer',
        proofs: {
          checkpoint: { treeSize: 9, rootHash: 'cd', note: 'origin\n9\n<root>', signedAt: 'then' },
          proofs: [{ recipient: 'app:a', index: 4, leafHash: 'ee', path: ['f1', 'f2'] }],
          pending: [{ recipient: 'app:a', index: 10 }],
        },
      },
    );
    expect(html).toContain('&lt;资源&gt;');
    expect(html).toContain('应用&quot;甲&quot;');
    expect(html).toContain('<tr class="accused">');
    expect(html).toContain('#4 (t)');
    expect(html).toContain('<td>对接密钥（张三（zhangsan））</td>');
    expect(html).toContain('<td>f1 f2</td>');
    expect(html).toContain('origin\n9\n&lt;root&gt;');
    expect(html).toContain('#10（app:a）');
  });
});
