import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, added to each page under test. */
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** The WCAG 2.1 A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** Each node: its selector and axe's summary of what fails (e.g. the contrast ratio). */
  nodes: string[];
}

/**
 * Runs axe-core's WCAG 2.1 A/AA rules on the page as it is now and returns the serious and
 * critical violations. The script is added to the page (the context must bypass the page's CSP).
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // In-page code reaches the DOM from the <html> element: the server's TypeScript has no DOM lib.
  const html = page.locator('html');
  if (!(await html.evaluate((root) => 'axe' in root.ownerDocument.defaultView)))
    await page.addScriptTag({ path: AXE_PATH });
  return html.evaluate(async (root, tags) => {
    type Result = {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[]; failureSummary?: string }[];
    };
    const axe = (
      root.ownerDocument.defaultView as {
        axe: { run: (...a: unknown[]) => Promise<{ violations: Result[] }> };
      }
    ).axe;
    const { violations } = await axe.run(root.ownerDocument, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        rule: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes
          .slice(0, 5)
          .map(
            (n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`,
          ),
      }));
  }, WCAG_TAGS);
}

/** Describes findings for a failure message. */
export function describeFindings(findings: AxeFinding[]): string {
  return findings.map((f) => `[${f.impact}] ${f.rule}: ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n');
}

/**
 * Words in Latin letters that a Chinese console may show: product and format names, units,
 * protocol and SQL words, standards. Anything else in Latin letters is untranslated UI text.
 */
export const LATIN_ALLOWED = new Set(
  [
    // formats and protocols (HTTP methods in the request tables of 运行监控)
    'GET',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
    'Prometheus',
    'metrics',
    'MiB',
    'API',
    'SQL',
    'CSV',
    'XLSX',
    'JSON',
    'NDJSON',
    'Parquet',
    'Arrow',
    'HTTP',
    'HTTPS',
    'URL',
    'CIDR',
    'IP',
    'IPv4',
    'IPv6',
    'UTF',
    'GBK',
    'GB',
    'T',
    'ID',
    'UUID',
    'CKAN',
    'DCAT',
    'AP',
    'OpenAPI',
    'ODRL',
    'JSONL',
    'XML',
    'RDF',
    'Excel',
    'Key',
    'Bearer',
    'curl',
    'ht',
    'PostgreSQL',
    'MySQL',
    'MariaDB',
    'DuckDB',
    // push channels and change capture (数据订阅, 变更采集状态): product and protocol names
    'Webhook',
    'NATS',
    'WAL',
    'binlog',
    'Ed25519',
    'SHA',
    'RFC',
    'C2SP',
    'Merkle',
    'SM2',
    'SM3',
    'SM4',
    'WCAG',
    'PDF',
    // privacy terms used as they are in Chinese (k 匿名, the k of k-anonymity)
    'k',
    // units
    'KB',
    'MB',
    'TB',
    'ms',
    's',
    'px',
    // SQL words shown in conditions and the workbench
    'SELECT',
    'FROM',
    'WHERE',
    'AND',
    'OR',
    'NOT',
    'IN',
    'IS',
    'NULL',
    'LIKE',
    'LIMIT',
    'HAVING',
    'JOIN',
    'ON',
    'GROUP',
    'BY',
    'ORDER',
    'AS',
    'COUNT',
    'SUM',
    'AVG',
    'MIN',
    'MAX',
    'DESC',
    'ASC',
    // the product and the language switch's own name for English
    'Huitong',
    'English',
    // keys named in hints (Ctrl+Enter); the catalog template's sheet names
    'Ctrl',
    'Enter',
    'Shift',
    'Tab',
    'Esc',
    'Alt',
    'resources',
    'items',
  ].map((w) => w.toLowerCase()),
);

/** A visible run of Latin letters that is not allowed, with where it was seen. */
export interface LatinRun {
  word: string;
  text: string;
  where: string;
}

/**
 * The visible text of the page (text nodes whose element is shown, and the placeholders, labels
 * and titles a person or a screen reader meets), with its Latin words that are neither in the
 * allow-list nor among `data` (the fixture's own codes, field names, user names). Code blocks
 * (`code`, `pre`, the SQL editor) show code by design and are skipped. With `within`, only the
 * text inside that element (a panel, a dialog) is read.
 */
export async function latinRuns(
  page: Page,
  data: readonly string[] = [],
  within?: Locator,
): Promise<LatinRun[]> {
  const texts = await (within ?? page.locator('html')).evaluate((root) => {
    type El = {
      id: string;
      tagName: string;
      className: unknown;
      closest(selector: string): unknown;
      checkVisibility(options?: object): boolean;
      getAttribute(name: string): string | null;
    };
    const doc = root.ownerDocument;
    const out: { text: string; where: string }[] = [];
    const describe = (el: El) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/)[0]}` : '';
      return `${el.tagName.toLowerCase()}${id}${cls}`;
    };
    const skipped = (el: El | null) =>
      !!el?.closest('code, pre, textarea, script, style, noscript, [aria-hidden="true"], .ht-code, .ht-json');
    const SHOW_TEXT = 4;
    const scope = root.tagName === 'HTML' ? doc.body : root;
    const walker = doc.createTreeWalker(scope, SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text: string | undefined = node.textContent?.trim();
      const el: El | null = node.parentElement;
      if (!text || !el || skipped(el)) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      out.push({ text, where: describe(el) });
    }
    // Ant Design names its own icons and a number field's arrows in English (aria-label
    // "close-circle", "down", "Increase Value"): its internals, not the console's text.
    const labelled = '[aria-label]:not(.anticon):not(.ant-input-number-action)';
    for (const el of scope.querySelectorAll(`[placeholder], ${labelled}, [title]`) as Iterable<El>) {
      if (skipped(el) || !el.checkVisibility()) continue;
      for (const attr of ['placeholder', 'aria-label', 'title']) {
        const value = el.getAttribute(attr)?.trim();
        if (value) out.push({ text: value, where: `${describe(el)}[${attr}]` });
      }
    }
    return out;
  });
  const allowedData = new Set(data.map((d) => d.toLowerCase()));
  const runs: LatinRun[] = [];
  for (const { text: shown, where } of texts) {
    // Hex digests, UUIDs and other codes mix letters and digits: a word here is letters only,
    // taken whole when it touches no digit; a UUID is an identifier whatever its letters.
    const text = shown.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ');
    for (const match of text.matchAll(/(?<![A-Za-z0-9_])[A-Za-z]+(?:[-_'][A-Za-z]+)*(?![A-Za-z0-9_])/g)) {
      const word = match[0];
      if (LATIN_ALLOWED.has(word.toLowerCase()) || allowedData.has(word.toLowerCase())) continue;
      if (data.some((d) => text.includes(d) && d.toLowerCase().includes(word.toLowerCase()))) continue;
      runs.push({ word, text: text.slice(0, 120), where });
    }
  }
  return runs;
}

/** The Chinese characters of a text (CJK Unified Ideographs), to tell a Chinese message. */
export const hasChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);
