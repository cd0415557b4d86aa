import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors/index.js';
import { handleError } from './error-handler.js';
import { localize, MESSAGES } from './messages.js';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z]{3,}/;
// Names that stay as they are in Chinese text: standards, formats, protocols, SQL keywords, parameters.
const KEPT =
  /\b(API|CSRF|JSON|CSV|XLSX|PDF|UTF-8|GBK|TLS|URL|UUID|SQL|SELECT|SHOW|DESCRIBE|GROUP BY|CAST|GB\/T|GB|Content-Length|facet\.limit|limit|offset|rows|start)\b/g;

function app() {
  const server = Fastify().withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.setErrorHandler(handleError);
  server.get('/fail', { schema: { querystring: z.object({ code: z.string() }) } }, (request) => {
    throw new AppError(400, request.query.code as ErrorCode, `English message for ${request.query.code}`, {
      items: ['身份证号'],
    });
  });
  server.post(
    '/typed',
    { schema: { body: z.strictObject({ name: z.string().min(3), id: z.uuid(), n: z.number() }) } },
    () => ({}),
  );
  return server;
}

describe('error messages', () => {
  it('has an English and a Chinese message for every error code', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(100);
    for (const code of ERROR_CODES) {
      const { en, zh } = MESSAGES[code];
      expect(en.trim().length, code).toBeGreaterThan(5);
      expect(en, code).not.toMatch(HAN);
      const chinese = typeof zh === 'string' ? zh : zh({}, en);
      expect(chinese, code).toMatch(HAN);
      // An unknown DuckDB message is quoted after the Chinese explanation, as the database said it.
      const own = chinese.replace(/数据库的说明：.*$/, '').replace(KEPT, '');
      expect(own, `${code}: ${chinese}`).not.toMatch(LATIN_WORD);
    }
  });

  it('answers every code in Chinese to Accept-Language zh-CN, and in English otherwise', async () => {
    const server = app();
    for (const code of ERROR_CODES) {
      const zh = await server.inject({
        url: `/fail?code=${code}`,
        headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
      });
      expect(zh.json().error.code).toBe(code);
      expect(zh.json().error.message, code).toMatch(HAN);
      const en = await server.inject({ url: `/fail?code=${code}`, headers: { 'accept-language': 'en' } });
      expect(en.json().error.message).toBe(`English message for ${code}`);
    }
    const noGrant = await server.inject({
      url: '/fail?code=no_grant',
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(noGrant.json().error.message).toBe('没有覆盖此资源的有效授权，请先申请');
    await server.close();
  });

  it('words validation details in Chinese without exposing zod’s issue', async () => {
    const server = app();
    const payload = { name: 'x', id: 'nope', n: '1', extra: true };
    const zh = await server.inject({
      method: 'POST',
      url: '/typed',
      headers: { 'accept-language': 'zh-CN' },
      payload,
    });
    const { error } = zh.json();
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('请求参数不符合要求');
    expect(error.details.length).toBeGreaterThanOrEqual(3);
    for (const detail of error.details) {
      expect(Object.keys(detail).sort()).toEqual(['in', 'message', 'path']);
      expect(detail.message, JSON.stringify(detail)).toMatch(HAN);
      expect(detail.message).not.toMatch(/undefined/);
    }
    const en = await server.inject({ method: 'POST', url: '/typed', payload });
    expect(
      en
        .json()
        .error.details.map((d: { message: string }) => d.message)
        .join(' '),
    ).toMatch(/Invalid|expected/);
    await server.close();
  });

  it('names the items in Chinese messages that carry them', () => {
    expect(localize('item_not_agreed', 'zh-CN', 'Not granted', { items: ['身份证号', '手机号码'] })).toBe(
      '以下信息项未获前一审批环节同意，不能再授予：身份证号、手机号码',
    );
  });

  it('explains SQL errors in Chinese with their position', () => {
    const at = { line: 2, column: 8 };
    expect(
      localize('sql_syntax_error', 'zh-CN', 'x', { reason: 'syntax error at or near "form"', ...at }),
    ).toBe('SQL 错误（第 2 行第 8 列）：语法错误：在 "form" 附近');
    expect(
      localize('query_failed', 'zh-CN', 'x', {
        reason: 'Referenced column "zzz" not found in FROM clause! Candidate bindings: "a", "b"',
        line: 1,
      }),
    ).toBe('SQL 错误（第 1 行）：列 "zzz" 不存在，可用的列："a"、"b"');
  });
});
