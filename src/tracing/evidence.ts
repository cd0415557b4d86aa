import type { EvidenceProofs } from './evidence-proofs.js';
import type { TraceReport } from './report-schema.js';

/** What the evidence report states besides the trace: the file, when, by whom, and the proofs. */
export interface EvidenceFacts {
  sha256: string;
  tracedAt: string;
  by: string;
  proofs: EvidenceProofs;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const cell = (value: unknown) => `<td>${escapeHtml(String(value ?? ''))}</td>`;
const row = (values: unknown[], attributes = '') => `<tr${attributes}>${values.map(cell).join('')}</tr>`;

/** The report's tables as rows of text, shared by the HTML and the PDF so that both say the same. */
export function evidenceTables(report: TraceReport, facts: EvidenceFacts) {
  return {
    intro: [
      `文件 SHA-256：${facts.sha256}`,
      `格式 ${report.format}（${report.encoding}），${report.rows} 行；溯源时间 ${facts.tracedAt}；操作人 ${facts.by}。`,
      `误指控概率上限 ε = ${report.epsilon}（对所有候选接收方合计，Bernstein 不等式与联合界）。分数为对称 Tardos 分数；“无辜者得分不低于此”的概率为上界。`,
    ],
    resources: {
      header: ['资源代码', '名称', '键列', '容差列', '观测码位', '指控阈值', '候选接收方'],
      rows: report.resources.map((r) => [
        r.code,
        r.name,
        r.keyColumn,
        r.tolerantColumns.join('、'),
        String(r.positions),
        r.threshold.toFixed(1),
        String(r.candidates),
      ]),
    },
    suspects: {
      header: [
        '排名',
        '指控',
        '接收方',
        '标识',
        '单位',
        '使用的密钥（创建人）',
        '分数',
        '无辜者得分不低于此的概率',
        '交付日志条目',
      ],
      rows: report.suspects.map((s, i) => [
        String(i + 1),
        s.accused ? '是' : '否',
        s.name ?? s.recipient,
        s.recipient,
        s.organization.name ?? s.organization.id ?? '',
        s.keys.map((k) => `${k.name ?? k.id}（${k.createdBy ?? '创建人不详'}）`).join('；'),
        s.score.toFixed(1),
        s.innocentProbability.toExponential(2),
        s.releases.map((e) => `#${e.index} (${e.time})`).join(' '),
      ]),
      accused: report.suspects.map((s) => s.accused),
    },
    proofs: {
      checkpoint: facts.proofs.checkpoint,
      header: ['日志条目', '接收方', '叶哈希', '审计路径（自叶向根）'],
      rows: facts.proofs.proofs.map((p) => [`#${p.index}`, p.recipient, p.leafHash, p.path.join(' ')]),
      pending: facts.proofs.pending.map((p) => `#${p.index}（${p.recipient}）`),
    },
  };
}

/** How to check the proofs without the platform (both forms end with it). */
export const VERIFY_NOTE =
  '核验方法：以日志公钥（GET /api/v1/audit/public-key）验证检查点签名；对每个条目，自叶哈希起按 RFC 6962 / RFC 9162 依次与审计路径上的哈希合并，所得根哈希应等于检查点的根哈希（GET /api/v1/audit/proof/inclusion 给出同样的证明，huitong audit verify 核验整个日志）。';

/**
 * The evidence report of a trace, a self-contained HTML page for an investigation file: what was
 * traced (the file's digest and form), each resource's observed positions and threshold, the
 * ranked suspects with their bound, and the suspects' release entries with inclusion proofs
 * against a signed checkpoint, verifiable offline.
 */
export function evidenceHtml(report: TraceReport, facts: EvidenceFacts): string {
  const t = evidenceTables(report, facts);
  const head = (cells: string[]) => `<tr>${cells.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const checkpoint = t.proofs.checkpoint
    ? `<p>签名检查点：树大小 ${t.proofs.checkpoint.treeSize}，根哈希 <code>${t.proofs.checkpoint.rootHash}</code>，签署于 ${escapeHtml(t.proofs.checkpoint.signedAt)}。</p>
<pre class="note">${escapeHtml(t.proofs.checkpoint.note)}</pre>`
    : '<p>尚无签名检查点：日志条目待下一个检查点签署后方可证明。</p>';
  const pending = t.proofs.pending.length
    ? `<p>检查点之后的条目（待下一检查点证明）：${escapeHtml(t.proofs.pending.join('、'))}</p>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>泄露溯源证据报告</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}.accused{background:#fde2e2}.proofs td{font-family:monospace;font-size:11px;word-break:break-all}.note{background:#f4f4f4;padding:8px}</style>
</head><body>
<h1>泄露溯源证据报告</h1>
${t.intro.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<h2>溯源的资源</h2>
<table>${head(t.resources.header)}
${t.resources.rows.map((r) => row(r)).join('\n')}</table>
<h2>嫌疑接收方（按可信度排序）</h2>
<table>${head(t.suspects.header)}
${t.suspects.rows.map((r, i) => row(r, t.suspects.accused[i] ? ' class="accused"' : '')).join('\n')}</table>
<h2>交付日志条目的包含性证明</h2>
${checkpoint}
<table class="proofs">${head(t.proofs.header)}
${t.proofs.rows.map((r) => row(r)).join('\n')}</table>
${pending}
<p>${escapeHtml(VERIFY_NOTE)}</p>
</body></html>
`;
}
