/** A column of a generated table: its machine name and value type. */
export interface DemoColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'date';
}

/** A generated table: what one provider's system holds, ready to write as a file or load into a database. */
export interface DemoTable {
  name: string;
  /** 中文 title, for logs and docs. */
  title: string;
  columns: DemoColumn[];
  rows: Array<Array<string | number | null>>;
}

/** Declares columns compactly: `'id_number name age:integer birth_date:date'`. */
export function columns(spec: string): DemoColumn[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((c) => {
      const [name, type = 'string'] = c.split(':');
      return { name: name!, type: type as DemoColumn['type'] };
    });
}
