import { AutoComplete, Input } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/index.js';
import { complete, wordBefore } from './completion.js';
import type { SqlTable } from './sql-schema.js';

/**
 * A plain textarea with completion of aliases, resource codes, columns and keywords as one
 * types. Each suggestion's value is the whole text with the word replaced, so choosing one
 * (arrow keys then Enter, or a click) is an ordinary change; Enter alone still breaks the line.
 * Ctrl+Enter runs the query.
 */
export function SqlEditor({
  value,
  onChange,
  tables,
  onRun,
}: {
  value: string;
  onChange: (sql: string) => void;
  tables: SqlTable[];
  onRun: () => void;
}) {
  const { t } = useI18n();
  const [caret, setCaret] = useState(0);
  const caretAfter = useRef<number | null>(null);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const options = useMemo(() => {
    const word = wordBefore(value, caret);
    const before = value.slice(0, caret - word.length);
    const after = value.slice(caret);
    return complete(word, tables).map((c) => ({
      value: `${before}${c.text}${after}`,
      label: (
        <span>
          <code>{c.text}</code>
          <span style={{ color: '#595959', marginLeft: 8 }}>
            {t(`sql.kind.${c.kind}`)}
            {c.detail ? ` · ${c.detail}` : ''}
          </span>
        </span>
      ),
      caret: before.length + c.text.length,
    }));
  }, [value, caret, tables, t]);
  const track = (el: HTMLTextAreaElement) => {
    area.current = el;
    setCaret(el.selectionStart);
  };

  return (
    <AutoComplete
      value={value}
      options={options}
      filterOption={false}
      defaultActiveFirstOption={false}
      style={{ width: '100%' }}
      onSelect={(_v, option) => {
        caretAfter.current = (option as { caret: number }).caret;
        requestAnimationFrame(() => {
          const el = area.current;
          if (el && caretAfter.current !== null) {
            el.setSelectionRange(caretAfter.current, caretAfter.current);
            setCaret(caretAfter.current);
          }
        });
      }}
      onChange={(v) => onChange(v)}
      className="ht-sql-editor"
    >
      <Input.TextArea
        aria-label={t('sql.editor')}
        data-testid="sql-editor"
        rows={8}
        spellCheck={false}
        onKeyUp={(e) => track(e.currentTarget)}
        onClick={(e) => track(e.currentTarget)}
        onInput={(e) => track(e.currentTarget)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onRun();
          }
        }}
      />
    </AutoComplete>
  );
}
