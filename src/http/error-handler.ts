import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorBody, issueProblem, TooManyRequestsError } from '../errors/index.js';
import { localize, localizeDetails } from './messages.js';

// Fastify's own request errors, mapped to our codes. Their messages are Fastify's and safe.
const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'The Content-Type is not supported here'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'The request body is too large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty_body', 'The JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'The body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'invalid_content_length',
    'Content-Length does not match the body',
  ],
  FST_ERR_BAD_URL: [400, 'bad_url', 'The URL is malformed'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'path_too_long', 'A path parameter is too long'],
};

function send(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.logDetails) request.log.warn({ code: error.code, ...error.logDetails }, 'request refused');
  if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
  const body = errorBody(error);
  const language = request.headers['accept-language'];
  body.error.message = localize(error.code, language, body.error.message, error.details);
  if (body.error.details !== undefined) body.error.details = localizeDetails(body.error.details, language);
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

/** The one error handler: every error leaves as `{"error": {code, message, details}}`. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return send(request, reply, error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      in: error.validationContext,
      ...issueProblem(v.instancePath.replace(/^\//, '').replaceAll('/', '.'), {
        ...v.params,
        code: v.keyword,
        message: v.message ?? '',
      }),
    }));
    return send(
      request,
      reply,
      new AppError(400, 'invalid_request', 'The request does not match the schema', details),
    );
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return send(request, reply, new AppError(known[0], known[1], known[2]));
  if (error.statusCode === 400 && error instanceof SyntaxError) {
    return send(request, reply, new AppError(400, 'malformed_json', 'The body is not valid JSON'));
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    request.log.info({ err: error }, 'client error');
    return send(
      request,
      reply,
      new AppError(error.statusCode, 'bad_request', 'The request cannot be processed'),
    );
  }
  // Anything else is our fault: log it whole, tell the client only the request id.
  request.log.error({ err: error }, 'unhandled error');
  return send(
    request,
    reply,
    new AppError(500, 'internal_error', `Internal error; quote request id ${request.id} to the operator`),
  );
}

/** 404 for routes that do not exist, in the same shape. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(
    request,
    reply,
    new AppError(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}
