import { ERROR_CODES, type ErrorCode } from '../errors/index.js';
import { sqlErrorZh } from './sql-messages.js';
import { validationMessageZh } from './validation-messages.js';

// The message of every error code in English and Chinese, chosen by Accept-Language so that a
// console in zh-CN shows Chinese. The English one here is the code's summary; a response in
// English carries the throw site's own, more specific, message. A Chinese message may be a
// function of the error's details (which never hold data, only names and positions).

type Details = Record<string, unknown>;
type Zh = string | ((details: Details, english: string) => string);

const list = (value: unknown): string =>
  Array.isArray(value) ? value.map(String).join('、') : typeof value === 'string' ? value : '';
const withList = (head: string, value: unknown): string => {
  const names = list(value);
  return names ? `${head}：${names}` : head;
};

/** English summary and Chinese message of each code. */
export const MESSAGES: Record<ErrorCode, { en: string; zh: Zh }> = {
  alert_state_conflict: {
    en: 'The alert’s status does not allow this',
    zh: '预警当前状态不允许此操作',
  },
  already_published: { en: 'The resource is already published', zh: '资源已发布' },
  already_retired: { en: 'The resource is already retired', zh: '资源已停用' },
  ambiguous_name: {
    en: 'Several organisations have a source with this name',
    zh: '多个单位有同名数据源，请指明单位',
  },
  api_key_expired: { en: 'The API key has expired', zh: 'API 密钥已过期' },
  api_key_revoked: { en: 'The API key has been revoked', zh: 'API 密钥已被吊销' },
  api_key_suspended: {
    en: 'The API key is suspended by the security officer',
    zh: 'API 密钥已被安全管理员暂停使用',
  },
  audit_unavailable: {
    en: 'The audit log cannot be written; nothing was released',
    zh: '审计日志无法写入，未发放任何数据',
  },
  bad_request: { en: 'The request cannot be processed', zh: '请求无法处理' },
  bad_url: { en: 'The URL is malformed', zh: '请求地址格式错误' },
  body_too_large: { en: 'The request body is too large', zh: '请求体过大' },
  bounds_not_numeric: { en: 'Only a numeric item has a value range', zh: '只有数值型信息项可以设置取值范围' },
  budget_not_applicable: {
    en: 'Only a statistics request, or a sandbox request with noise, has an ε budget',
    zh: '只有统计用途或结果加噪的沙箱用途才设置隐私预算',
  },
  capture_needs_key: {
    en: 'Changes of a table without a primary key or replica identity cannot be captured',
    zh: '该表没有主键或复制标识，无法捕获变更',
  },
  capture_not_configured: {
    en: 'The source is not set up for change capture by its change log (see the message for the settings)',
    zh: '数据源未开启变更日志捕获所需的设置（详见说明中的配置项）',
  },
  capture_not_supported: {
    en: 'This source cannot report changes this way',
    zh: '该数据源不支持这种变更捕获方式',
  },
  capture_position_lost: {
    en: 'The source no longer has the change log at the stored position: the subscription needs a new snapshot',
    zh: '数据源已不再保留所记录位置处的变更日志，订阅需要重新获取快照',
  },
  capture_table_missing: { en: 'The bound table is not in the source', zh: '数据源中没有所绑定的表' },
  catalog_change_decided: {
    en: 'The catalog change has already been decided or withdrawn',
    zh: '该目录变更已处理或已撤回',
  },
  catalog_change_not_found: { en: 'No such catalog change', zh: '目录变更不存在' },
  catalog_change_pending: {
    en: 'A change of this resource already waits for catalog review',
    zh: '该资源已有待审核的目录变更，请等待审核结果或先撤回',
  },
  code_immutable: { en: 'A published resource keeps its code', zh: '已发布资源的代码不可修改' },
  conflicting_roles: {
    en: 'One person cannot hold two of the three officer roles',
    zh: '三员分立：同一人不能兼任系统管理员、安全管理员和审计员中的两个角色',
  },
  core_data_not_releasable: { en: 'Core data never leaves in clear', zh: '核心数据不得以明文提供' },
  credentials_required: { en: 'The source needs credentials', zh: '数据源需要提供连接凭据' },
  credit_code_required: {
    en: 'An enterprise needs a unified social credit code',
    zh: '企业须提供统一社会信用代码',
  },
  csrf_token_invalid: {
    en: 'The CSRF token is missing or wrong',
    zh: '缺少或错误的 CSRF 令牌，请刷新页面后重试',
  },
  demand_state_conflict: {
    en: 'The demand’s status does not allow this',
    zh: '需求当前状态不允许此操作',
  },
  destination_not_allowed: {
    en: 'The platform does not connect to that address',
    zh: '平台不连接回环、内网、链路本地或云元数据地址，除非运维人员在出站许可名单中放行',
  },
  detail_not_allowed: {
    en: 'The grant allows statistics only, not rows',
    zh: '授权仅限统计使用，不能查询明细',
  },
  duplicate_code: { en: 'The code is already taken', zh: '代码已存在' },
  duplicate_credit_code: { en: 'The credit code is already registered', zh: '统一社会信用代码已登记' },
  duplicate_item: {
    en: 'An item name appears twice',
    zh: (d) => withList('信息项名称重复', d.items ?? d.item),
  },
  duplicate_name: { en: 'The name is already taken', zh: '名称已存在' },
  duplicate_username: { en: 'The username is already taken', zh: '用户名已被占用' },
  empty_body: { en: 'The JSON body is empty', zh: '请求体为空' },
  empty_file: { en: 'The file is empty', zh: '文件为空' },
  entry_not_own: {
    en: 'A new entry must be a catalog entry of the answering department',
    zh: '新编目录须为本单位的目录',
  },
  epsilon_required: {
    en: 'Statistics spend ε: send epsilon with the query',
    zh: '统计查询需消耗隐私预算，请在请求中给出每项统计的 ε',
  },
  export_not_allowed: { en: 'The grant does not allow file export', zh: '授权不允许导出文件' },
  export_too_large: {
    en: 'The cross-node export is too large: ask for fewer fields or rows',
    zh: '跨节点导出的文件过大：请减少字段或行数',
  },
  federation_already_joined: { en: 'This node is already in a federation', zh: '本节点已加入联邦' },
  federation_catalog_not_own: {
    en: 'The report claims a node or organisation that is not the sender’s',
    zh: '上报的目录涉及不属于上报节点的节点或单位',
  },
  federation_config_expired: { en: 'The federation configuration has expired', zh: '联邦配置已过期' },
  federation_config_rollback: {
    en: 'The federation configuration offered would roll back the one held',
    zh: '联邦配置版本回退或冲突，已拒绝',
  },
  federation_config_signature_invalid: {
    en: 'The federation configuration is not signed by the root',
    zh: '联邦配置签名无效',
  },
  federation_org_outside_node: {
    en: 'The node does not speak for an organisation of that region',
    zh: '该节点无权代表此行政区划的单位',
  },
  federation_receipt_invalid: {
    en: 'The provider node’s receipt does not match what it sent',
    zh: '提供方节点的回执与所发数据不符',
  },
  peer_bad_answer: { en: 'The peer node answered with something it should not', zh: '对方节点的应答无效' },
  peer_unreachable: { en: 'The peer node cannot be reached', zh: '无法连接对方节点' },
  federation_not_joined: { en: 'This node has not joined a federation', zh: '本节点尚未加入联邦' },
  federation_join_token_invalid: {
    en: 'The join token is invalid, used or expired',
    zh: '入网令牌无效、已使用或已过期',
  },
  federation_node_unknown: { en: 'The node is not a member of the federation', zh: '该节点不是联邦成员' },
  federation_node_not_active: { en: 'The node is suspended or revoked', zh: '该节点已暂停或撤销' },
  federation_state_conflict: { en: 'The member cannot move to that status', zh: '该节点状态不允许此变更' },
  federation_signature_invalid: {
    en: 'The node-to-node request signature is invalid',
    zh: '节点间请求签名无效',
  },
  federation_request_replayed: {
    en: 'The node-to-node request was already received',
    zh: '节点间请求重复（重放）',
  },
  federation_request_stale: {
    en: 'The node-to-node request is outside the allowed time window',
    zh: '节点间请求超出允许的时间窗口',
  },
  file_too_large: { en: 'The file is too large', zh: '文件超过大小上限' },
  forbidden: { en: 'You are not allowed to do this', zh: '无权执行此操作' },
  function_forbidden: {
    en: 'The SQL calls a function that is not allowed',
    zh: (d) => withList('SQL 使用了不允许的函数', d.function),
  },
  grade_level_conflict: { en: 'The grade and its level do not agree', zh: '分级与级别不一致' },
  grant_expired: { en: 'The grant has expired', zh: '授权已过期' },
  grant_not_yet_valid: { en: 'The grant is not valid yet', zh: '授权尚未生效' },
  grant_revoked: { en: 'The grant is suspended or revoked', zh: '授权已暂停或撤销' },
  grant_state_conflict: { en: 'The grant cannot change to that state', zh: '授权当前状态不允许此操作' },
  held_for_review: {
    en: 'The answer is held for the provider steward’s release review',
    zh: '结果已暂存，待提供方数据管理员发布审核',
  },
  held_result_unreadable: {
    en: 'The held answer cannot be read; quote the request id to the operator',
    zh: '待审核的结果无法读取，请将请求编号告知运维人员',
  },
  import_rejected: {
    en: 'The import has rows with errors; nothing was imported',
    zh: '导入文件存在错误行，未导入任何数据',
  },
  internal_error: { en: 'Internal error', zh: '服务器内部错误，请将请求编号告知运维人员' },
  invalid_api_key: { en: 'The API key is not valid', zh: 'API 密钥无效' },
  invalid_assignee: {
    en: 'The assignee is not an active security officer',
    zh: '指派对象不是在岗的安全管理员',
  },
  invalid_audit_event: { en: 'The audit event is not valid', zh: '审计事件无效' },
  invalid_audit_value: { en: 'A value of the audit event is not valid', zh: '审计事件的取值无效' },
  invalid_content_length: { en: 'Content-Length does not match the body', zh: 'Content-Length 与请求体不符' },
  invalid_credentials: { en: 'Wrong username or password', zh: '用户名或密码错误' },
  invalid_credit_code: {
    en: 'The unified social credit code is not valid',
    zh: '统一社会信用代码无效（GB 32100 校验位错误）',
  },
  invalid_cursor: { en: 'The page cursor is not valid', zh: '分页游标无效' },
  invalid_encoding: { en: 'The text encoding is not valid', zh: '文本编码无效（支持 UTF-8 与 GBK）' },
  invalid_expiry: { en: 'The expiry must lie in the future', zh: '有效期须晚于当前时间' },
  invalid_export: { en: 'The export file is not valid', zh: '导出文件格式无效' },
  invalid_facet_limit: { en: 'facet.limit must be a non-negative integer', zh: 'facet.limit 须为非负整数' },
  invalid_filter: { en: 'The filter is not valid', zh: '筛选条件无效' },
  invalid_key_roles: {
    en: 'An API key may hold only the application’s roles',
    zh: 'API 密钥的角色超出允许范围',
  },
  invalid_leaf_index: { en: 'The entry index is not valid', zh: '日志条目序号无效' },
  invalid_limit: { en: 'limit must be a non-negative integer', zh: 'limit 须为非负整数' },
  invalid_objection_state: {
    en: 'The objection is not in a state that allows this',
    zh: '异议当前状态不允许此操作',
  },
  invalid_offset: { en: 'offset must be a non-negative integer', zh: 'offset 须为非负整数' },
  invalid_parent: { en: 'The parent is not valid', zh: '上级单位无效' },
  invalid_period: { en: 'The period is not valid', zh: '有效期无效：截止时间须晚于开始时间和当前时间' },
  invalid_proof_request: { en: 'The proof request is not valid', zh: '证明请求无效' },
  invalid_range: { en: 'The range is not valid', zh: '时间范围无效：起点不得晚于终点，且不超过一年' },
  invalid_read_plan: { en: 'The read cannot be planned', zh: '无法生成读取计划' },
  invalid_region_code: {
    en: 'The region code is not valid (GB/T 2260)',
    zh: '行政区划代码无效（GB/T 2260）',
  },
  invalid_request: {
    en: 'The request does not match the schema',
    zh: '请求参数不符合要求',
  },
  invalid_rows: { en: 'rows must be a non-negative integer', zh: 'rows 须为非负整数' },
  invalid_schedule: {
    en: 'The schedule is not valid',
    zh: '检查周期无效：须为 15 分钟至 31 天之间的整数分钟',
  },
  invalid_source_config: { en: 'The source configuration is not valid', zh: '数据源配置无效' },
  invalid_start: { en: 'start must be a non-negative integer', zh: 'start 须为非负整数' },
  invalid_tree_size: { en: 'The tree size is not valid', zh: '日志树大小无效' },
  invalid_warning_setting: {
    en: 'The rule has no such setting, or the value is out of its range',
    zh: (d) => withList('预警规则没有该设置项，或取值超出允许范围', (d as { settings?: unknown }).settings),
  },
  ip_not_allowed: {
    en: 'The caller’s address is not allowed by the grant',
    zh: '调用地址不在授权允许的范围内',
  },
  ips_widened: {
    en: 'A later step cannot widen the address list',
    zh: (d) => withList('后续审批只能收窄地址范围，以下地址超出此前同意的范围', d.blocks),
  },
  item_not_aggregable: { en: 'This item cannot be used in this statistic', zh: '该信息项不能用于此项统计' },
  item_not_agreed: {
    en: 'The item was not granted by the earlier step',
    zh: (d) => withList('以下信息项未获前一审批环节同意，不能再授予', d.items),
  },
  item_not_bound: {
    en: 'The item is not bound to a column',
    zh: (d) => withList('信息项未绑定数据列', d.items ?? d.item),
  },
  item_not_requested: {
    en: 'The item was not requested',
    zh: (d) => withList('以下信息项不在申请范围内', d.items),
  },
  legal_basis_required: { en: 'A legal basis is required', zh: '须填写共享依据' },
  licence_not_accepted: { en: 'The licence must be accepted first', zh: '请先接受开放许可协议' },
  login_locked: { en: 'Too many failed sign-ins; try again later', zh: '登录失败次数过多，请稍后再试' },
  malformed_csv: { en: 'The CSV file is malformed', zh: 'CSV 文件格式错误' },
  malformed_file: { en: 'The file is malformed', zh: '文件格式错误' },
  malformed_json: { en: 'The body is not valid JSON', zh: '请求体不是合法的 JSON' },
  malformed_xlsx: { en: 'The XLSX file is malformed', zh: 'XLSX 文件格式错误' },
  mask_widened: {
    en: 'A later step cannot unmask an item',
    zh: (d) => withList('后续审批不能取消前一环节设定的脱敏', d.items),
  },
  masked_field_not_sortable: { en: 'A masked item cannot be sorted on', zh: '已脱敏的信息项不能用于排序' },
  method_not_served: { en: 'The delivery method is not served here', zh: '不提供此交付方式' },
  missing_value: { en: 'A value is missing', zh: (d) => withList('缺少取值', d.field) },
  multiple_statements: { en: 'Only one SQL statement at a time', zh: '一次只能执行一条 SQL 语句' },
  no_change: { en: 'The change changes nothing', zh: '提交的内容与已发布版本相同，无需审核' },
  no_grant: { en: 'No grant covers this resource', zh: '没有覆盖此资源的有效授权，请先申请' },
  no_licence_needed: { en: 'The resource needs no licence', zh: '此资源无需接受许可协议' },
  no_resource: {
    en: 'The query must read at least one resource',
    zh: '查询须至少读取一个资源：以资源代码（加引号）或别名作表名',
  },
  noise_weakened: {
    en: 'A later step may only strengthen the noise on sandbox answers',
    zh: '后续审核只能加强沙箱结果的加噪（调低 ε），不能取消或减弱',
  },
  not_a_file_source: { en: 'The source is not a file source', zh: '该数据源不是文件数据源' },
  not_a_select: { en: 'Only SELECT queries are allowed', zh: '只允许 SELECT 查询' },
  not_a_user: { en: 'Only a signed-in user has a password', zh: '只有登录用户才有密码' },
  not_found: { en: 'Not found', zh: '对象不存在或无权查看' },
  not_published: { en: 'The resource is not published', zh: '资源尚未发布' },
  not_your_step: { en: 'This approval step is for another role', zh: '当前审批环节不属于您的角色' },
  objection_own_resource: {
    en: 'An organisation cannot object to its own resource: correct it at the source',
    zh: '不能对本单位提供的资源提出异议，请直接在源头更正',
  },
  open_conditions_required: {
    en: 'Conditional opening needs its conditions',
    zh: '有条件开放须填写开放条件',
  },
  k_below_minimum: {
    en: "The k asked for is below the platform's minimum for open data",
    zh: '所设 k 值低于平台规定的开放数据最小 k 值',
  },
  k_not_reachable: {
    en: 'No generalisation of the quasi-identifiers reaches k',
    zh: '准标识符的任何泛化都无法达到 k 匿名要求',
  },
  open_release_below_k: {
    en: 'The open data is not k-anonymous over its quasi-identifiers: it is not released',
    zh: '开放数据在准标识符上未达到 k 匿名，不予发布',
  },
  quasi_identifier_not_released: {
    en: 'A quasi-identifier must be one of the items the open release sends out',
    zh: '准标识符须为开放数据所发布的信息项',
  },
  quasi_identifiers_required: {
    en: 'An open release of personal items needs quasi-identifiers for its k-anonymity gate',
    zh: '开放数据含个人信息项，须至少指定一个准标识符（k 匿名门槛）',
  },
  open_release_has_personal_data: {
    en: 'An open release cannot carry personal items in clear',
    zh: '开放数据不得包含未脱敏的个人信息项',
  },
  open_type_conflict: { en: 'The open type conflicts with the sharing type', zh: '开放属性与共享类型冲突' },
  own_catalog_change: {
    en: 'No one reviews a catalog change they submitted',
    zh: '职责分离：不能审核本人提交的目录变更',
  },
  own_resource: { en: 'Your organisation provides this resource', zh: '本单位提供的资源无需申请' },
  parameters_forbidden: { en: 'SQL parameters are not allowed', zh: 'SQL 中不允许使用参数占位符' },
  password_change_required: {
    en: 'Change your initial password before anything else',
    zh: '请先修改初始密码',
  },
  path_too_long: { en: 'A path parameter is too long', zh: '路径参数过长' },
  pdf_font_unavailable: {
    en: 'The server has no Chinese font to print the PDF with; export XLSX or ask the administrator to install one',
    zh: '服务器缺少中文字体，无法生成 PDF；可导出 XLSX，或请管理员安装中文字体',
  },
  period_not_within_request: {
    en: 'The period must lie within the requested one',
    zh: '有效期须在申请（或此前同意）的期限之内',
  },
  privacy_budget_exhausted: {
    en: 'The privacy budget (ε) of this grant is spent',
    zh: '本授权的隐私预算已用完，请明日再试或申请追加预算',
  },
  pushdown_unsupported: { en: 'The source cannot apply this filter', zh: '数据源不支持此筛选条件' },
  qualified_name_forbidden: {
    en: 'Schema-qualified names are not allowed',
    zh: 'SQL 中不允许使用带模式名的表名',
  },
  query_failed: { en: 'The query failed', zh: (d, en) => sqlErrorZh(d, en) },
  query_memory_exceeded: { en: 'The query needed too much memory', zh: '查询所需内存超过上限，已停止' },
  query_timeout: { en: 'The query ran too long', zh: '查询运行超时，已停止' },
  quota_exceeds_request: {
    en: 'Quotas may only be lowered',
    zh: '配额只能调低，不能超过申请（或此前同意）的数量',
  },
  quota_exhausted: { en: 'The daily quota is used up', zh: '今日配额已用完，请明日再试' },
  rate_limited: { en: 'Too many requests', zh: '请求过于频繁，请稍后再试' },
  refusal_reason_required: {
    en: 'A refusal needs a reason code (and a comment when the reason is other)',
    zh: '退回须选择退回原因（选择“其他”时须填写说明）',
  },
  release_review_decided: { en: 'The release review has already been decided', zh: '该发布审核已处理' },
  release_review_not_found: { en: 'No such release review', zh: '发布审核不存在' },
  release_review_pending: {
    en: 'The answer waits for the provider steward’s release review',
    zh: '结果正在等待提供方数据管理员的发布审核',
  },
  release_review_refused: {
    en: 'The steward refused to release this answer',
    zh: '数据管理员已拒绝发布该结果',
  },
  referential_across_sources: {
    en: 'A referential rule joins two resources of one source',
    zh: '关联一致性规则只能关联同一数据源中的资源',
  },
  request_not_needed: {
    en: 'Unconditional data needs no request',
    zh: '无条件共享资源无需申请，首次使用时自动授权',
  },
  request_not_pending: { en: 'The request is already decided', zh: '申请已处理，不能再次审批' },
  resource_not_bound: { en: 'The resource is not bound to a source', zh: '资源尚未绑定数据源' },
  resource_not_found: { en: 'No such resource', zh: '资源不存在' },
  resource_not_shareable: {
    en: 'The resource is not shared: the requester could never see it',
    zh: '该资源不予共享，需求方无法查看',
  },
  resource_retired: { en: 'The resource is retired', zh: '资源已停用' },
  route_not_found: { en: 'No such route', zh: '接口不存在' },
  rows_not_found: {
    en: 'No row you may read has these keys',
    zh: (d) => withList('在您有权读取的数据中找不到以下记录', d.keys),
  },
  sandbox_answer_too_large: {
    en: 'A sandbox answer is checked whole and has too many rows',
    zh: '沙箱结果须整体检查，行数过多',
  },
  sandbox_identifying_output: {
    en: 'An identifying item cannot be output in the sandbox mode',
    zh: '沙箱模式下不得输出标识类个人信息项',
  },
  sandbox_json_only: {
    en: 'In the sandbox mode answers are JSON only',
    zh: '沙箱模式下结果仅以 JSON 返回，不提供文件',
  },
  sandbox_noise_unsupported: {
    en: 'This grant noises its answers: only COUNT, SUM and AVG of one resource can be noised',
    zh: '该授权的结果须加噪：只有单一资源上的计数、求和、平均值可以加噪发布',
  },
  sandbox_reserved_name: {
    en: 'Names starting with __ht_ are reserved',
    zh: '以 __ht_ 开头的名称为系统保留',
  },
  sandbox_row_level_output: {
    en: 'In the sandbox mode only aggregates leave, never rows',
    zh: '沙箱模式下只发布汇总结果，不发布明细行',
  },
  sandbox_single_provider: {
    en: 'In the sandbox mode a query reads the resources of one provider',
    zh: '沙箱模式下一次查询只能读取同一提供方的资源',
  },
  sandbox_unavailable: {
    en: 'The query sandbox cannot start now; try again later',
    zh: '查询沙箱暂时无法启动，请稍后再试',
  },
  schema_drift: { en: 'The source’s columns changed since binding', zh: '数据源的列结构在绑定后已发生变化' },
  search_query_error: { en: 'The search query is not valid', zh: '检索条件无效' },
  sharing_conditions_required: {
    en: 'Conditional sharing needs its conditions',
    zh: '有条件共享须填写共享条件',
  },
  sharing_methods_required: { en: 'At least one sharing method is required', zh: '须至少选择一种共享方式' },
  show_forbidden: { en: 'SHOW and DESCRIBE are not allowed', zh: '不允许使用 SHOW 或 DESCRIBE' },
  source_auth_failed: { en: 'The source refused the credentials', zh: '数据源拒绝了连接凭据' },
  source_busy: {
    en: 'The source is busy; try again shortly',
    zh: '数据源繁忙（连接已用尽或资源被锁定），请稍后重试',
  },
  source_database_missing: { en: 'The source has no such database', zh: '数据源中不存在该数据库' },
  source_in_use: { en: 'The source is still bound to resources', zh: '数据源仍被资源绑定，不能删除' },
  source_query_failed: { en: 'The source could not answer the read', zh: '数据源执行读取失败' },
  source_response_invalid: { en: 'The source answered something unexpected', zh: '数据源返回的内容无法识别' },
  source_schema_changed: { en: 'The source’s columns changed', zh: '数据源的列结构已变化' },
  source_timeout: {
    en: 'The source did not answer within the query timeout',
    zh: '数据源未在查询时限内响应',
  },
  source_tls_failed: { en: 'The TLS connection to the source failed', zh: '与数据源的 TLS 连接失败' },
  source_unreachable: { en: 'The source cannot be reached', zh: '无法连接数据源' },
  sql_syntax_error: { en: 'The SQL has a syntax error', zh: (d, en) => sqlErrorZh(d, en) },
  sql_too_long: { en: 'The SQL is too long', zh: 'SQL 过长' },
  statistics_not_allowed: { en: 'This grant does not allow statistics', zh: '本授权不允许统计查询' },
  statistics_sql_unsupported: {
    en: 'Under a statistics grant, SQL is limited to a subset of SELECT',
    zh: (d) =>
      withList(
        '统计用途的 SQL 只支持计数、求和、平均（可按公开的分组列表 GROUP BY）和简单条件，不支持',
        d.construct,
      ),
  },
  store_unavailable: { en: 'The metadata store does not answer', zh: '元数据库暂不可用，请稍后再试' },
  subscription_not_found: { en: 'No such subscription', zh: '订阅不存在' },
  channel_not_offered: {
    en: 'This platform does not offer that delivery channel',
    zh: '本平台未开通该推送通道',
  },
  dead_letter_not_found: { en: 'No such dead letter', zh: '死信不存在' },
  dead_letter_replayed: { en: 'This dead letter was replayed already', zh: '该死信已重放' },
  remote_resource_not_supported: {
    en: 'Another node’s resource can be joined only in a JSON answer of POST /api/v1/query: not in files, sandbox or statistics mode',
    zh: '其他节点的资源只能在 SQL 查询的 JSON 结果中联合查询，不支持导出文件、可用不可见与统计模式',
  },
  remote_rows_exceeded: {
    en: 'The rows another node releases for this query exceed the limit; narrow it with conditions on that resource',
    zh: '对方节点为本查询提供的行数超过上限，请对该资源增加筛选条件',
  },
  replay_failed: { en: 'The channel did not take the replay', zh: '推送通道未接收重放，死信保留' },
  schedule_cron_invalid: {
    en: 'The cron expression or time zone is not valid (at most once a minute)',
    zh: '定时表达式或时区无效（最频繁每分钟一次）',
  },
  schedule_not_found: { en: 'No such delivery schedule', zh: '定时交付计划不存在' },
  schedule_run_not_found: { en: 'No such run, or it left no file', zh: '该次交付不存在或没有文件' },
  schedule_running: { en: 'A run of this schedule is in progress', zh: '该定时交付正在执行，请稍后再试' },
  delivery_file_outdated: {
    en: 'The grant no longer covers this file as it was released: run the schedule again',
    zh: '授权已变更，不再覆盖该文件交付时的数据项，请重新执行交付',
  },
  subscription_state_conflict: {
    en: 'The subscription is not in a state that allows this',
    zh: '订阅当前状态不允许此操作',
  },
  table_function_forbidden: { en: 'Table functions are not allowed', zh: 'SQL 中不允许使用表函数' },
  table_reference_forbidden: {
    en: 'The SQL reads something that is not a resource',
    zh: 'SQL 只能读取资源（以资源代码或别名作表名）',
  },
  type_cast_failed: { en: 'A value does not fit its data type', zh: '取值与数据类型不符' },
  unauthenticated: { en: 'Authentication required', zh: '需要登录或提供 API 密钥' },
  unknown_action: { en: 'No such action', zh: '不支持此操作' },
  unknown_classification: { en: 'No such classification', zh: '资源分类不存在' },
  unknown_column: { en: 'No such column', zh: (d) => withList('列不存在', d.column ?? d.columns) },
  unknown_data_type: { en: 'No such data type', zh: '数据类型无效' },
  trace_key_required: {
    en: 'Tolerant items need a key item, not itself tolerant, whose value keys each row’s marks',
    zh: '设置容差信息项时须指定一个非容差的键信息项，用于确定每行的标记',
  },
  trace_no_match: {
    en: 'The file has no key and tolerant column in common with any marked release: nothing to trace',
    zh: '文件与任何带标记的交付都没有共同的键列和容差列，无法溯源',
  },
  unknown_field: { en: 'No such field', zh: (d) => withList('字段不存在或未获授权', d.field ?? d.fields) },
  unknown_item: { en: 'The resource has no such item', zh: (d) => withList('资源没有以下信息项', d.items) },
  unknown_organization: { en: 'No such organisation', zh: '单位不存在' },
  unknown_package_resource: { en: 'No resource of that name in the package', zh: '数据包中没有该资源' },
  unknown_parent: { en: 'No such parent organisation', zh: '上级单位不存在' },
  unknown_source: { en: 'No such source', zh: '数据源不存在' },
  unknown_table: { en: 'No such table', zh: '数据表不存在' },
  unsupported_format: { en: 'The format is not supported', zh: '不支持此格式' },
  unsupported_media_type: { en: 'The Content-Type is not supported here', zh: '不支持的内容类型' },
  verification_not_offered: { en: 'The resource offers no verification', zh: '此资源不提供核验服务' },
  verification_rate_limited: { en: 'Too many verifications', zh: '核验请求过于频繁，请稍后再试' },
  method_not_offered: {
    en: 'The resource is not shared by this method',
    zh: '该资源未以此共享方式提供（接口或文件），请按资源目录所列的共享方式使用',
  },
  verification_daily_limit: {
    en: 'The organisation’s verifications of this resource today are used up',
    zh: '本单位今日对该资源的核验次数已达上限，北京时间零点重置',
  },
  per_item_not_allowed: {
    en: 'No per-item answers on items you see masked',
    zh: '含脱敏信息项的核验不提供逐项结果，只返回整体是否一致',
  },
  api_key_limit_reached: {
    en: 'The application holds as many live API keys as allowed',
    zh: '该应用有效的 API 密钥数量已达上限，请先吊销不用的密钥',
  },
  webhook_url_invalid: {
    en: 'The webhook URL is not valid',
    zh: '推送回调地址（URL）无效：须为含主机名的完整网址，不含用户名或密码，长度不超过 2000 个字符',
  },
};

/** Whether the caller asked for Chinese (Accept-Language starting with zh). */
export function prefersChinese(acceptLanguage: string | undefined): boolean {
  return /^\s*zh/i.test(acceptLanguage ?? '');
}

/** The message for a code in the caller's language: zh when Accept-Language prefers Chinese. */
export function localize(
  code: ErrorCode,
  acceptLanguage: string | undefined,
  english: string,
  details?: unknown,
): string {
  if (!prefersChinese(acceptLanguage)) return english;
  const zh = MESSAGES[code]?.zh;
  if (zh === undefined) return english;
  if (typeof zh === 'string') return zh;
  const fields =
    details && typeof details === 'object' && !Array.isArray(details) ? (details as Details) : {};
  return zh(fields, english);
}

/** Validation details ({path, message}) with each message in the caller's language. */
export function localizeDetails(details: unknown, acceptLanguage: string | undefined): unknown {
  if (!prefersChinese(acceptLanguage) || !Array.isArray(details)) return details;
  return details.map((d) =>
    d && typeof d === 'object' && 'message' in d
      ? { ...d, message: validationMessageZh(d as { message: string; issue?: unknown }) }
      : d,
  );
}

export { ERROR_CODES };
