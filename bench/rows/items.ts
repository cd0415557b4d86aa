// The items of the bench's resource over bench_rows.people: three personal ones, which a consumer
// receives masked (their default masks), and three in clear.
export const ITEMS = [
  { name: '编号', field: 'id', dataType: 'number' as const, personal: false },
  { name: '姓名', field: 'xm', dataType: 'string' as const, personal: true, personalKind: 'basic' as const },
  {
    name: '身份证号',
    field: 'sfzh',
    dataType: 'string' as const,
    personal: true,
    personalKind: 'identity_document' as const,
  },
  {
    name: '手机号码',
    field: 'sjhm',
    dataType: 'string' as const,
    personal: true,
    personalKind: 'communication' as const,
  },
  { name: '区划', field: 'qh', dataType: 'string' as const, personal: false },
  { name: '年龄', field: 'age', dataType: 'number' as const, personal: false },
];
