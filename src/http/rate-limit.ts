import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import { TooManyRequestsError } from '../errors/index.js';
import { apiKeyId } from '../identity/index.js';
import type { App } from './types.js';

function bucket(request: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '');
  const keyId = match ? apiKeyId(match[1]!) : undefined;
  // Only well-formed keys get a bucket of their own; a forged key id fails authentication next.
  return keyId ? `key:${keyId}` : `ip:${request.ip}`;
}

/** Per-key and per-IP request rates (per minute), answered with 429 and Retry-After. */
export async function registerRateLimit(app: App, config: Config): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: bucket,
    max: (_request, key) =>
      key.startsWith('key:') ? config.HUITONG_RATE_LIMIT_PER_KEY : config.HUITONG_RATE_LIMIT_PER_IP,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `Rate limit of ${context.max} requests per minute exceeded`,
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  });
}
