import { defineMessages } from './define.js';

// 溯源追踪: the security officer's trace of a leaked file (docs/tracing.md).
export const tracing = defineMessages({
  zh: {
    'menu.security.trace': '溯源追踪',
    'trace.title': '数据溯源追踪',
    'trace.subtitle':
      '上传疑似泄露的文件，按其中的标记找出可能的泄露方。文件只发送到本平台，不会上传到其他地址。',
    'trace.upload': '上传泄露文件',
    'trace.uploadHint': '点击或拖入疑似泄露的文件（CSV、XLSX 或 JSON，最大 64 MiB）',
    'trace.uploadNote':
      '文件须保留键列（如编号）及至少一个容差列；可为部分行、重新排序或按容差取整后的副本。',
    'trace.badFormat': '仅支持 CSV、XLSX、JSON 文件',
    'trace.running': '正在溯源…',
    'trace.failed': '无法溯源',
    'trace.empty_file': '文件为空，或没有数据行。请确认上传的是完整的泄露文件。',
    'trace.trace_no_match':
      '没有匹配：文件与任何带标记的交付都没有共同的键列和容差列，或其中的值不带可读标记。无法溯源，不指认任何接收方。',
    'trace.file': '文件：{name}，{rows} 行',
    'trace.threshold':
      '指认阈值：得分不低于 {threshold} 才会被指认（观测到 {positions} 个编码位置，{candidates} 个候选接收方）。阈值保证误指认任何无辜接收方的概率不超过 {epsilon}。',
    'trace.resource': '资源：{name}（键列 {key}，容差列 {columns}）',
    'trace.rank': '排名',
    'trace.organization': '单位',
    'trace.application': '应用',
    'trace.user': '用户',
    'trace.recipient': '接收方',
    'trace.score': '得分',
    'trace.probability': '无辜者得分同样高的概率',
    'trace.accused': '结论',
    'trace.accused.yes': '指认',
    'trace.accused.no': '未达阈值',
    'trace.releases': '交付记录',
    'trace.release': '审计记录 #{index}（{time}）',
    'trace.noneAccused': '没有接收方达到指认阈值：下列仅为排序，不能据此指认。',
    'trace.evidence.html': '导出证据报告（网页）',
    'trace.key': '密钥：{name}（{by} 创建）',
    'trace.evidence.pdf': '导出证据报告（便携文档）',
    'trace.evidence.note': '报告含文件摘要、嫌疑排序及交付日志条目的包含性证明，可离线核验。',
    'trace.someAccused': '{count} 个接收方达到指认阈值。',
    'trace.unnamed': '（未命名）',
  },
  en: {
    'menu.security.trace': 'Leak tracing',
    'trace.title': 'Leak tracing',
    'trace.subtitle':
      'Upload a leaked file to find the recipients whose marks it carries. The file is sent to this platform only.',
    'trace.upload': 'Upload the leaked file',
    'trace.uploadHint': 'Click or drop the leaked file (CSV, XLSX or JSON, at most 64 MiB)',
    'trace.uploadNote':
      'The file must keep the key column (an ID) and at least one tolerant column; a subset of rows, reordered or rounded to the tolerance, works.',
    'trace.badFormat': 'Only CSV, XLSX and JSON files',
    'trace.running': 'Tracing…',
    'trace.failed': 'Cannot trace',
    'trace.empty_file': 'The file is empty or has no data rows.',
    'trace.trace_no_match':
      'No match: the file shares no key and tolerant column with any marked release, or its values carry no readable mark. Nobody is accused.',
    'trace.file': 'File: {name}, {rows} rows',
    'trace.threshold':
      'Accusation threshold: a score of at least {threshold} ({positions} code positions observed, {candidates} candidates). The chance of accusing any innocent recipient is at most {epsilon}.',
    'trace.resource': 'Resource: {name} (key {key}, tolerant {columns})',
    'trace.rank': 'Rank',
    'trace.organization': 'Organisation',
    'trace.application': 'Application',
    'trace.user': 'User',
    'trace.recipient': 'Recipient',
    'trace.score': 'Score',
    'trace.probability': 'Chance an innocent scores as high',
    'trace.accused': 'Verdict',
    'trace.accused.yes': 'Accused',
    'trace.accused.no': 'Below threshold',
    'trace.releases': 'Releases',
    'trace.release': 'Audit entry #{index} ({time})',
    'trace.noneAccused': 'Nobody reaches the threshold: the ranking alone accuses nobody.',
    'trace.evidence.html': 'Export the evidence report (HTML)',
    'trace.key': 'Key: {name} (created by {by})',
    'trace.evidence.pdf': 'Export the evidence report (PDF)',
    'trace.evidence.note':
      'The file’s digest, the ranking and the inclusion proofs of the release entries, verifiable offline.',
    'trace.someAccused': '{count} recipient(s) reach the threshold.',
    'trace.unnamed': '(unnamed)',
  },
});
