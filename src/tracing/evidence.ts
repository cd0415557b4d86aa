import type { TraceReport } from './report-schema.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const cell = (value: unknown) => `<td>${escapeHtml(String(value ?? ''))}</td>`;

/**
 * The evidence report of a trace, a self-contained HTML page for an investigation file: what was
 * traced (the file's digest and form), each resource's observed positions and threshold, the
 * ranked suspects with their bound, and the release entries to verify with inclusion proofs.
 */
export function evidenceHtml(
  report: TraceReport,
  facts: { sha256: string; tracedAt: string; by: string },
): string {
  const resources = report.resources
    .map(
      (r) =>
        `<tr>${[r.code, r.name, r.keyColumn, r.tolerantColumns.join('、'), r.positions, r.threshold.toFixed(1), r.candidates].map(cell).join('')}</tr>`,
    )
    .join('\n');
  const suspects = report.suspects
    .map(
      (s, i) =>
        `<tr${s.accused ? ' class="accused"' : ''}>${[
          i + 1,
          s.accused ? '是' : '否',
          s.name ?? s.recipient,
          s.recipient,
          s.organization.name ?? s.organization.id ?? '',
          s.score.toFixed(1),
          s.innocentProbability.toExponential(2),
          s.releases.map((e) => `#${e.index} (${e.time})`).join(' '),
        ]
          .map(cell)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>泄露溯源证据报告</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px}.accused{background:#fde2e2}</style>
</head><body>
<h1>泄露溯源证据报告</h1>
<p>文件 SHA-256：<code>${escapeHtml(facts.sha256)}</code>；格式 ${escapeHtml(report.format)}（${escapeHtml(report.encoding)}），${report.rows} 行；溯源时间 ${escapeHtml(facts.tracedAt)}；操作人 ${escapeHtml(facts.by)}。</p>
<p>误指控概率上限 ε = ${report.epsilon}（对所有候选接收方合计，Bernstein 不等式与联合界）。分数为对称 Tardos 分数；“无辜者得分不低于此”的概率为上界。</p>
<h2>溯源的资源</h2>
<table><tr><th>资源代码</th><th>名称</th><th>键列</th><th>容差列</th><th>观测码位</th><th>指控阈值</th><th>候选接收方</th></tr>
${resources}</table>
<h2>嫌疑接收方（按可信度排序）</h2>
<table><tr><th>排名</th><th>指控</th><th>接收方</th><th>标识</th><th>单位</th><th>分数</th><th>无辜者得分不低于此的概率</th><th>交付日志条目</th></tr>
${suspects}</table>
<p>每个日志条目可用 GET /api/v1/audit/proof/inclusion?index=… 取得包含性证明，并与签名检查点核对。</p>
</body></html>
`;
}
