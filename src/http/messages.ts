// Chinese messages for the error codes people meet most; others keep their English message.
// Chosen by Accept-Language so that a console in zh-CN shows Chinese.
const ZH: Record<string, string> = {
  unauthenticated: '需要登录或提供 API 密钥',
  invalid_credentials: '用户名或密码错误',
  invalid_api_key: 'API 密钥无效',
  api_key_revoked: 'API 密钥已被吊销',
  api_key_expired: 'API 密钥已过期',
  forbidden: '无权执行此操作',
  not_found: '对象不存在',
  route_not_found: '接口不存在',
  invalid_request: '请求参数不符合要求',
  malformed_json: '请求体不是合法的 JSON',
  body_too_large: '请求体过大',
  bad_url: '请求地址格式错误',
  path_too_long: '路径参数过长',
  unsupported_media_type: '不支持的内容类型',
  rate_limited: '请求过于频繁，请稍后再试',
  csrf_token_invalid: '缺少或错误的 CSRF 令牌',
  invalid_region_code: '行政区划代码无效（GB/T 2260）',
  invalid_credit_code: '统一社会信用代码无效（GB 32100 校验位错误）',
  credit_code_required: '企业须提供统一社会信用代码',
  duplicate_name: '名称已存在',
  duplicate_username: '用户名已被占用',
  conflicting_roles: '三员分立：同一人不能兼任系统管理员、安全管理员和审计员中的两个角色',
  internal_error: '服务器内部错误',
  store_unavailable: '元数据库暂不可用，请稍后重试',
  audit_unavailable: '审计日志暂无法写入，请求已拒绝',
  source_unreachable: '无法连接数据源（拒绝连接、网络不通或连接超时）',
  source_timeout: '数据源未在查询时限内响应',
  source_busy: '数据源繁忙（连接已用尽或资源被锁定），请稍后重试',
  no_resource: '查询须至少读取一个资源：以资源代码（加引号）或别名作表名',
};

/** The message for a code in the caller's language (zh when Accept-Language prefers Chinese). */
export function localize(code: string, acceptLanguage: string | undefined, english: string): string {
  const prefersChinese = /^\s*zh/i.test(acceptLanguage ?? '');
  return prefersChinese ? (ZH[code] ?? english) : english;
}
