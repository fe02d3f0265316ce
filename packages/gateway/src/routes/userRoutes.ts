import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../auth/passwords.ts';
import { type GatewayContext, toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { createId } from '../ids.ts';
import { bearerSecurity, errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import { type CreateUserBody, createUserBodySchema, userObjectSchema } from '../schemas/userSchemas.ts';

interface UserRow {
  id: string;
  email: string;
  created_at: Date;
}

function userToJson(row: UserRow) {
  return { id: row.id, object: 'user', email: row.email, created: toUnixSeconds(new Date(row.created_at)) };
}

/** POST /v1/users (sign-up) and GET /v1/me. */
export async function userRoutes(app: FastifyInstance, context: GatewayContext): Promise<void> {
  const { database, now, config } = context;

  app.post<{ Body: CreateUserBody }>(
    '/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Sign up',
        headers: idempotencyHeaderSchema,
        body: createUserBodySchema,
        response: { 201: userObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'optional' },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const passwordHash = await hashPassword(password, config.passwordScryptN);
      const row: UserRow = { id: createId('usr'), email, created_at: now() };
      const inserted = await database.query(
        `INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [row.id, email, passwordHash, row.created_at.toISOString()],
      );
      if (inserted.rowCount !== 1) {
        throw apiError('EMAIL_TAKEN', 'an account with this email already exists; log in instead', 'email');
      }
      return reply.code(201).send(userToJson(row));
    },
  );

  app.get(
    '/v1/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'The logged-in user',
        security: bearerSecurity,
        response: { 200: userObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const result = await database.query<UserRow>('SELECT id, email, created_at FROM users WHERE id = $1', [
        request.user!.id,
      ]);
      const row = result.rows[0];
      if (row === undefined) throw apiError('RESOURCE_MISSING', 'no such user');
      return userToJson(row);
    },
  );
}
