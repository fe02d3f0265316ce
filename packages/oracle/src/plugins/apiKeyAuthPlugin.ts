import { createHash, timingSafeEqual } from 'node:crypto';
import { markAsAppPlugin } from '@shardpay/service';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { oracleError } from '../http/oracleErrors.ts';

export interface ApiKeyAuthOptions extends Record<string, unknown> {
  apiKey: string;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Routes anyone may call: health, and the oracle's public identity (its address, for escrows to name). */
const openRoutes: ReadonlySet<string> = new Set(['/health', '/v1/oracle']);

/**
 * Every other request must carry `Authorization: Bearer <api key>`. Digests of equal length are
 * compared in constant time, so neither the key's bytes nor its length leak through timing.
 */
async function apiKeyAuthPlugin(app: FastifyInstance, options: ApiKeyAuthOptions): Promise<void> {
  const expected = digest(options.apiKey);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    // Decided on the matched route, not the raw URL (which may be percent-encoded).
    if (request.routeOptions.url !== undefined && openRoutes.has(request.routeOptions.url)) return;
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      throw oracleError(
        'AUTHENTICATION_REQUIRED',
        'no API key given: send "Authorization: Bearer <SHARDPAY_ORACLE_API_KEY>"',
      );
    }
    const match = /^Bearer (.+)$/.exec(header);
    if (match === null || !timingSafeEqual(digest(match[1]!), expected)) {
      throw oracleError('API_KEY_INVALID', "the API key is not this oracle's key");
    }
  });
}

export const apiKeyAuth = markAsAppPlugin(apiKeyAuthPlugin, 'oracle-api-key-auth');
