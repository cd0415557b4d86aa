import { defineMessages } from './define.js';

// Screens of the provider console (data steward).
export const provider = defineMessages({
  zh: {
    'pv.sources.title': '数据源',
    'pv.sources.f1': '登记 PostgreSQL、MySQL/MariaDB、文件、HTTP 数据源并测试连接',
    'pv.sources.f2': '浏览数据表与字段，绑定为目录资源',
    'pv.resources.title': '资源编目',
    'pv.resources.f1': '按国家目录标准编辑资源：名称、摘要、信息项、共享类型与条件、开放属性、更新周期',
    'pv.resources.f2': '确认隐私扫描建议的信息项类型与数据分级，发布',
    'pv.import.title': '批量导入',
    'pv.import.f1': '从 XLSX 模板批量导入目录，显示进度与逐行错误报告',
    'pv.reviews.title': '申请审批',
    'pv.reviews.f1': '审阅使用申请：可部分批准——选择信息项、设置行过滤、脱敏规则、期限与配额',
    'pv.reviews.f2': '驳回须填写编码化理由',
    'pv.lineage.title': '使用去向',
    'pv.lineage.f1': '谁在使用本单位的哪些资源：授权、调用量与数据血缘',
  },
  en: {
    'pv.sources.title': 'Data sources',
    'pv.sources.f1': 'Register PostgreSQL, MySQL/MariaDB, file and HTTP sources and test the connection',
    'pv.sources.f2': 'Browse tables and columns; bind them to catalog resources',
    'pv.resources.title': 'Resources',
    'pv.resources.f1':
      'Edit resources to the national catalog standard: name, abstract, items, sharing type and conditions, openness, update cycle',
    'pv.resources.f2': 'Confirm the kinds and grades the privacy scan proposes; publish',
    'pv.import.title': 'Bulk import',
    'pv.import.f1':
      'Import the catalog from an XLSX template with a progress bar and a row-by-row error report',
    'pv.reviews.title': 'Review requests',
    'pv.reviews.f1':
      'Review access requests; approve in part: pick items, build a row filter, set masks, period and quotas',
    'pv.reviews.f2': 'A refusal carries a coded reason',
    'pv.lineage.title': 'Who uses what',
    'pv.lineage.f1': 'Who uses which of your resources: grants, call volumes and lineage',
  },
});
