import { Tooltip } from 'antd';

/** A table cell's value as text: JSON for objects, empty for null. */
export function cellText(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * A value cut to its column with an ellipsis, shown in full in a tooltip on hover and on
 * keyboard focus (long addresses, purposes, JSON), so no value is out of reach.
 */
export function LongValue({ text, limit = 16 }: { text: string; limit?: number }) {
  if (text.length <= limit) return <span>{text}</span>;
  return (
    <Tooltip title={<span style={{ wordBreak: 'break-all' }}>{text}</span>}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focus shows the full value to keyboard users */}
      <span tabIndex={0} className="ht-long-value">
        {text}
      </span>
    </Tooltip>
  );
}
