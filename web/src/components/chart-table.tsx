import type { ChartOption } from './echart.js';

/** A chart's data as a table: a category column and one value column per series. */
export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

type Point = number | string | null | { name?: string; value?: unknown };
interface Series {
  type?: string;
  name?: string;
  data?: Point[];
}
interface Axis {
  type?: string;
  data?: (string | number | { value?: string | number })[];
}

const first = <T,>(value: T | T[] | undefined): T | undefined => (Array.isArray(value) ? value[0] : value);
const pointValue = (p: Point): string | number => {
  if (p === null || p === undefined) return '';
  if (typeof p === 'object')
    return Array.isArray(p.value) ? String(p.value.at(-1)) : ((p.value as number) ?? '');
  return p;
};

/**
 * The data behind an ECharts option (pie: name and value; bar and line: the category axis and
 * each series), so that it can be read as text: a canvas says nothing to a screen reader.
 */
export function chartTable(option: ChartOption): ChartTable {
  const series = ([] as Series[]).concat((option.series as Series | Series[] | undefined) ?? []);
  if (series.length === 0) return { columns: [], rows: [] };
  if (series[0]!.type === 'pie' || series[0]!.type === 'map') {
    const data = series[0]!.data ?? [];
    return {
      columns: ['', series[0]!.name ?? ''],
      rows: data.map((p) => [typeof p === 'object' && p ? (p.name ?? '') : '', pointValue(p)]),
    };
  }
  const x = first(option.xAxis as Axis | Axis[] | undefined);
  const y = first(option.yAxis as Axis | Axis[] | undefined);
  const axis = x?.type === 'category' ? x : y?.type === 'category' ? y : (x ?? y);
  const categories = (axis?.data ?? []).map((c) =>
    typeof c === 'object' ? String(c.value ?? '') : String(c),
  );
  return {
    columns: ['', ...series.map((s) => s.name ?? '')],
    rows: categories.map((c, i) => [c, ...series.map((s) => pointValue((s.data ?? [])[i] ?? null))]),
  };
}

/** A short spoken summary: the first rows as "名称 值", joined. */
export function chartSummary(table: ChartTable, max = 12): string {
  const parts = table.rows.slice(0, max).map((r) => r.filter((v) => v !== '').join(' '));
  return table.rows.length > max ? `${parts.join('、')}…` : parts.join('、');
}

/** The table, visually hidden (screen readers and the page's text find it; the chart shows it). */
export function ChartDataTable({ table, caption }: { table: ChartTable; caption: string }) {
  if (table.rows.length === 0) return null;
  // The box that hides it is a div: a table grows to its rows whatever its height, and a long one
  // (a week of hours) would stretch the page below the chart.
  return (
    <div className="ht-sr-only">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <tr key={i}>
              {row.map((v, j) =>
                j === 0 ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  <th key={j} scope="row">
                    {v}
                  </th>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  <td key={j}>{v}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
