import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { signAccessToken } from '../auth/accessTokens.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { type GatewayContext, toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { createId } from '../ids.ts';
import { bearerSecurity, errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import {
  type CreateSessionBody,
  createSessionBodySchema,
  type RefreshSessionBody,
  refreshSessionBodySchema,
  sessionObjectSchema,
} from '../schemas/userSchemas.ts';

function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** POST /v1/sessions (login), POST /v1/sessions/refresh, DELETE /v1/sessions (logout). */
export async function sessionRoutes(app: FastifyInstance, context: GatewayContext): Promise<void> {
  const { database, now, config, tokens } = context;
  // Compared against when the email is unknown, so both answers take as long.
  const decoyHash = await hashPassword(randomBytes(16).toString('hex'), config.passwordScryptN);

  /** Stores a new refresh token of `sessionId` and signs an access token: the session object. */
  async function issueTokens(tx: Queryable, userId: string, sessionId: string, at: Date) {
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    const refreshExpiresAt = new Date(at.getTime() + config.refreshTokenTtlSeconds * 1000);
    await tx.query(
      `INSERT INTO refresh_tokens (token_hash, session_id, user_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [refreshTokenHash(refreshToken), sessionId, userId, at.toISOString(), refreshExpiresAt.toISOString()],
    );
    const access = await signAccessToken({ userId, sessionId }, tokens, at);
    return {
      id: sessionId,
      object: 'session',
      user_id: userId,
      token_type: 'Bearer',
      access_token: access.token,
      expires_at: toUnixSeconds(access.expiresAt),
      refresh_token: refreshToken,
      refresh_token_expires_at: toUnixSeconds(refreshExpiresAt),
    };
  }

  app.post<{ Body: CreateSessionBody }>(
    '/v1/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Log in',
        description: 'Idempotency-Key is accepted but not stored: the response carries credentials.',
        headers: idempotencyHeaderSchema,
        body: createSessionBodySchema,
        response: { 201: sessionObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'not_stored' },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const found = await database.query<{ id: string; password_hash: string }>(
        'SELECT id, password_hash FROM users WHERE lower(email) = lower($1)',
        [email],
      );
      const user = found.rows[0];
      const matches = await verifyPassword(password, user?.password_hash ?? decoyHash);
      if (user === undefined || !matches) {
        throw apiError('CREDENTIALS_INVALID', 'the email or the password is wrong');
      }
      const at = now();
      const session = await database.transaction(async (tx) => {
        const sessionId = createId('ses');
        await tx.query('INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $2, $3)', [
          sessionId,
          user.id,
          at.toISOString(),
        ]);
        return issueTokens(tx, user.id, sessionId, at);
      });
      return reply.code(201).send(session);
    },
  );

  app.post<{ Body: RefreshSessionBody }>(
    '/v1/sessions/refresh',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Swap a refresh token for new tokens (the old one stops working)',
        headers: idempotencyHeaderSchema,
        body: refreshSessionBodySchema,
        response: { 201: sessionObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'not_stored' },
    },
    async (request, reply) => {
      const at = now();
      const outcome = await database.transaction(async (tx) => {
        const found = await tx.query<{
          session_id: string;
          user_id: string;
          expires_at: Date;
          used_at: Date | null;
          revoked_at: Date | null;
        }>(
          `SELECT t.session_id, t.user_id, t.expires_at, t.used_at, s.revoked_at
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.token_hash = $1 FOR UPDATE OF t`,
          [refreshTokenHash(request.body.refresh_token)],
        );
        const row = found.rows[0];
        if (row === undefined || row.revoked_at !== null || new Date(row.expires_at) <= at) return null;
        if (row.used_at !== null) {
          // A used token presented again means it leaked: end the whole session.
          await tx.query('UPDATE sessions SET revoked_at = $2 WHERE id = $1', [
            row.session_id,
            at.toISOString(),
          ]);
          return null;
        }
        await tx.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [
          refreshTokenHash(request.body.refresh_token),
          at.toISOString(),
        ]);
        return issueTokens(tx, row.user_id, row.session_id, at);
      });
      if (outcome === null)
        throw apiError('REFRESH_TOKEN_INVALID', 'the refresh token is not valid; log in again');
      return reply.code(201).send(outcome);
    },
  );

  app.delete(
    '/v1/sessions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['sessions'],
        summary: 'Log out: revokes this session, its refresh token and its access tokens',
        security: bearerSecurity,
        response: { 204: { type: 'null' }, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await database.query('UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
        request.user!.sessionId,
        now().toISOString(),
      ]);
      return reply.code(204).send();
    },
  );
}
