import type { Database } from '@shardpay/database';
import { markAsAppPlugin } from '@shardpay/service';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AccessTokenSettings, verifyAccessToken } from '../auth/accessTokens.ts';
import { apiError } from '../http/apiErrors.ts';

/** The authenticated caller of a request. */
export interface AuthenticatedUser {
  id: string;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthenticatedUser | null;
  }
  interface FastifyInstance {
    /** onRequest hook for routes that need a user: `Authorization: Bearer <access token>`. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

export interface AuthPluginOptions extends Record<string, unknown> {
  database: Database;
  tokens: AccessTokenSettings;
  now: () => Date;
}

async function authPlugin(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  const { database, tokens, now } = options;
  app.decorateRequest('user', null);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (match === null) {
      throw apiError('AUTHENTICATION_REQUIRED', 'send an access token: Authorization: Bearer <token>');
    }
    const claims = await verifyAccessToken(match[1]!, tokens, now());
    // Logout revokes the session at once, not when its access tokens expire.
    const session = await database.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM sessions WHERE id = $1 AND user_id = $2',
      [claims.sessionId, claims.userId],
    );
    const row = session.rows[0];
    if (row === undefined || row.revoked_at !== null) {
      throw apiError('SESSION_REVOKED', 'this session has ended; log in again');
    }
    request.user = { id: claims.userId, sessionId: claims.sessionId };
  });
}

export const auth = markAsAppPlugin(authPlugin, 'shardpay-auth');
