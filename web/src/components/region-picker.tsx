import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { identityApi } from '../api/identity.js';
import { useI18n } from '../i18n/index.js';
import { PROVINCES } from './provinces.js';

interface Option {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Option[];
}

/** County-level codes (last two digits not 00) have nothing below them. */
const isLeafCode = (code: string) => !code.endsWith('00');

async function childrenOf(code: string): Promise<Option[]> {
  const region = await identityApi.region(code);
  return region.children.map((c) => ({ value: c.code, label: c.name, isLeaf: isLeafCode(c.code) }));
}

/** The codes from the province down to `code`: 350102 → 350000, 350100, 350102. */
function pathOf(code: string): string[] {
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  return [...new Set([province, city, code])].filter((c, i) => i === 0 || c !== province);
}

/**
 * A GB/T 2260 division chooser (省 / 市 / 区县): provinces are fixed, cities and counties are
 * fetched from /api/v1/regions/{code} as the user opens them. Any level can be chosen.
 */
export function RegionPicker({
  value,
  onChange,
  id,
}: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  id?: string;
}) {
  const { t, lang } = useI18n();
  const [options, setOptions] = useState<Option[]>(() =>
    PROVINCES.map((p) => ({ value: p.code, label: lang === 'en' ? `${p.en} ${p.zh}` : p.zh, isLeaf: false })),
  );

  // An existing value shows its full path: load the branches that lead to it.
  useEffect(() => {
    if (!value) return;
    const path = pathOf(value);
    let cancelled = false;
    (async () => {
      const loaded: Record<string, Option[]> = {};
      for (const code of path.slice(0, -1)) loaded[code] = await childrenOf(code).catch(() => []);
      if (cancelled) return;
      setOptions((current) => {
        const attach = (list: Option[]): Option[] =>
          list.map((o) =>
            loaded[o.value] && !o.children ? { ...o, children: attach(loaded[o.value]!) } : o,
          );
        return attach(current);
      });
    })();
    return () => {
      cancelled = true;
    };
  }, [value]);

  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1];
    if (!target || target.children) return;
    const children = await childrenOf(target.value).catch(() => []);
    setOptions((current) => {
      const attach = (list: Option[]): Option[] =>
        list.map((o) =>
          o.value === target.value
            ? { ...o, children, isLeaf: children.length === 0 }
            : o.children
              ? { ...o, children: attach(o.children) }
              : o,
        );
      return attach(current);
    });
  };

  return (
    <Cascader<Option>
      id={id}
      options={options}
      loadData={loadData}
      changeOnSelect
      showSearch={false}
      value={value ? pathOf(value) : undefined}
      onChange={(path) => onChange?.(path ? (path[path.length - 1] as string | undefined) : undefined)}
      placeholder={t('org.regionPlaceholder')}
      aria-label={t('org.region')}
      style={{ width: '100%' }}
    />
  );
}
