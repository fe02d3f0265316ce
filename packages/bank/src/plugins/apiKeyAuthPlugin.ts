import { createHash, timingSafeEqual } from 'node:crypto';
import { markAsAppPlugin } from '@shardpay/service';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bankError } from '../http/bankErrors.ts';

export interface ApiKeyAuthOptions extends Record<string, unknown> {
  apiKey: string;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Every request but `GET /health` must carry `Authorization: Bearer <api key>`. Digests of equal length are
 * compared in constant time, so neither the key's bytes nor its length leak through timing.
 */
async function apiKeyAuthPlugin(app: FastifyInstance, options: ApiKeyAuthOptions): Promise<void> {
  const expected = digest(options.apiKey);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    // Decided on the matched route, not the raw URL (which may be percent-encoded): only /health is open.
    if (request.routeOptions.url === '/health') return;
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      throw bankError(
        'AUTHENTICATION_REQUIRED',
        'no API key given: send "Authorization: Bearer <SHARDPAY_BANK_API_KEY>"',
      );
    }
    const match = /^Bearer (.+)$/.exec(header);
    if (match === null || !timingSafeEqual(digest(match[1]!), expected)) {
      throw bankError('API_KEY_INVALID', "the API key is not this bank sandbox's key");
    }
  });
}

export const apiKeyAuth = markAsAppPlugin(apiKeyAuthPlugin, 'bank-api-key-auth');
