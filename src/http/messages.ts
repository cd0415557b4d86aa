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
  no_resource: '查询须至少读取一个资源：以资源代码（加引号）或别名作表名',
  method_not_offered: '该资源未以此共享方式提供（接口或文件），请按资源目录所列的共享方式使用',
  verification_not_offered: '该资源未提供核验服务',
  export_not_allowed: '本授权不允许以文件形式导出数据',
  detail_not_allowed: '本授权仅限统计分析或核验，不能查询明细数据',
  verification_rate_limited: '核验过于频繁：本单位对该资源每分钟的核验次数已达上限，请稍后再试',
  verification_daily_limit: '本单位今日对该资源的核验次数已达上限，北京时间零点重置',
  per_item_not_allowed: '含脱敏信息项的核验不提供逐项结果，只返回整体是否一致',
  quota_exhausted: '授权的每日调用次数或数据行数已用完，北京时间零点重置',
  api_key_limit_reached: '该应用有效的 API 密钥数量已达上限，请先吊销不用的密钥',
};

/** The message for a code in the caller's language (zh when Accept-Language prefers Chinese). */
export function localize(code: string, acceptLanguage: string | undefined, english: string): string {
  const prefersChinese = /^\s*zh/i.test(acceptLanguage ?? '');
  return prefersChinese ? (ZH[code] ?? english) : english;
}
