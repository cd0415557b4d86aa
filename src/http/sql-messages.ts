// DuckDB's parser and binder messages (the consumer's own SQL, never data), worded in Chinese.

const PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/syntax error at end of input/i, () => '语法错误：语句不完整'],
  [/syntax error at or near (".*?"|\S+)/i, (m) => `语法错误：在 ${m[1]} 附近`],
  [
    /Referenced column (".*?"|\S+) not found in FROM clause!?(?:\s*Candidate bindings: (.*))?/i,
    (m) => `列 ${m[1]} 不存在${m[2] ? `，可用的列：${m[2].replaceAll(', ', '、')}` : ''}`,
  ],
  [
    /Table with name (\S+) does not exist/i,
    (m) => `表 ${m[1]} 不存在：请以资源代码（加双引号）或资源面板中的别名作表名`,
  ],
  [/(?:Scalar|Aggregate|Table) Function with name (\S+) does not exist/i, (m) => `函数 ${m[1]} 不存在`],
  [
    /No function matches the given name and argument types '(.*?)'/i,
    (m) => `函数参数类型不匹配：${m[1]}，可能需要显式类型转换（CAST）`,
  ],
  [/Ambiguous reference to column name (".*?"|\S+)/i, (m) => `列名 ${m[1]} 有歧义，请加表别名限定`],
  [/must appear in the GROUP BY clause/i, () => '选择的列须出现在 GROUP BY 子句中或用于聚合函数'],
  [/Could not convert/i, () => '类型转换失败：取值与目标类型不符'],
  [/Division by zero/i, () => '除数为零'],
];

const position = (d: Record<string, unknown>): string => {
  const line = typeof d.line === 'number' ? d.line : null;
  const column = typeof d.column === 'number' ? d.column : null;
  if (line === null) return '';
  return column === null ? `（第 ${line} 行）` : `（第 ${line} 行第 ${column} 列）`;
};

// A run-time failure names only its class: DuckDB's own text can quote the data it failed on.
const CLASS_ZH: Record<string, string> = {
  conversion: '类型转换失败：有取值不能转换为目标类型',
  invalid_input: '函数的输入值无效',
  out_of_range: '数值超出类型范围',
  division_by_zero: '除数为零',
  type_mismatch: '类型不匹配',
  not_implemented: '数据库不支持此操作',
  constraint: '违反约束',
  sandbox_exited: '查询进程意外退出，未返回结果',
  syntax: 'SQL 无法解析',
  other: '执行出错',
};

/** A SQL error in Chinese, with its line and column when the details carry them. */
export function sqlErrorZh(details: Record<string, unknown>, english: string): string {
  const failure = typeof details.class === 'string' ? details.class : undefined;
  if (failure && typeof details.reason !== 'string' && CLASS_ZH[failure])
    return `查询失败：${CLASS_ZH[failure]}${position(details)}（数据库的原始说明可能含有数据，不予显示）`;
  const reason = typeof details.reason === 'string' ? details.reason : english;
  for (const [pattern, word] of PATTERNS) {
    const match = reason.match(pattern);
    if (match) return `SQL 错误${position(details)}：${word(match)}`;
  }
  return `SQL 执行失败${position(details)}。数据库的说明：${reason}`;
}
