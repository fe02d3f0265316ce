import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { NetworkConfig } from '@shardpay/protocol';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AccessTokenSettings } from './auth/accessTokens.ts';
import type { ChainClient } from './chain/createChainClient.ts';
import type { GatewayConfig } from './config.ts';
import type { Database } from './db/Database.ts';
import type { GatewayContext } from './GatewayContext.ts';
import { apiError } from './http/apiErrors.ts';
import { auth } from './plugins/authPlugin.ts';
import { errorHandler } from './plugins/errorHandlerPlugin.ts';
import { idempotency } from './plugins/idempotencyPlugin.ts';
import { metrics } from './plugins/metricsPlugin.ts';
import { paymentRoutes } from './routes/paymentRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';
import { userRoutes } from './routes/userRoutes.ts';
import { walletRoutes } from './routes/walletRoutes.ts';
import { errorResponseSchema } from './schemas/commonSchemas.ts';

/** What the app is given rather than builds: the migrated database, a clock, a log destination. */
export interface GatewayDeps {
  database: Database;
  now?: () => Date;
  /** Where logs go (a stream with `write`); stdout when absent. */
  logStream?: { write(line: string): void };
  /** The chain and its genesis; without them the payment routes are not served. */
  chain?: { client: ChainClient; network: NetworkConfig };
}

/** Log paths never written: credentials, secrets and anything that could hold a key. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  '*.password',
  '*.refresh_token',
  '*.access_token',
  '*.mnemonic',
  '*.privateKey',
  '*.private_key',
  '*.keystore',
  '*.passphrase',
  '*.secret',
];

function loggerOptions(
  config: GatewayConfig,
  deps: GatewayDeps,
): Exclude<FastifyServerOptions['logger'], undefined> {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    ...(deps.logStream === undefined ? {} : { stream: deps.logStream }),
  };
}

/**
 * The gateway as a Fastify app, not listening (tests call `app.inject()`): external plugins, then
 * app plugins (errors, auth, idempotency, metrics), then routes.
 */
export function buildGatewayApp(config: GatewayConfig, deps: GatewayDeps): FastifyInstance {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: loggerOptions(config, deps),
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => `req_${randomBytes(12).toString('base64url')}`,
    requestIdHeader: false,
    return503OnClosing: true,
    trustProxy: config.trustProxy,
    ajv: {
      // Refuse unknown fields instead of dropping them, and never turn a number into a string.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
  });
  const tokens: AccessTokenSettings = {
    secret: config.jwtSecret,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    ttlSeconds: config.accessTokenTtlSeconds,
  };
  const context: GatewayContext = { config, database: deps.database, now, tokens };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  // App plugins first: their request decorations must exist before any route context is made.
  app.register(errorHandler);
  app.register(auth, { database: deps.database, tokens, now });
  app.register(idempotency, { database: deps.database, now });
  app.register(metrics);
  app.addSchema(errorResponseSchema);
  app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Shardpay gateway', version: '0.1.0' },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs' });
  if (config.rateLimit !== false) {
    app.register(rateLimit, {
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      errorResponseBuilder: (_request, context) =>
        apiError('RATE_LIMITED', `too many requests: retry after ${context.after}`),
    });
  }
  // Routes inside plugins, so they are added after (and see) every app plugin's onRoute hooks.
  app.register(async (routes) => {
    routes.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  });
  app.register(userRoutes, context);
  app.register(sessionRoutes, context);
  app.register(walletRoutes, context);
  if (deps.chain !== undefined) {
    app.register(paymentRoutes, { ...context, chain: deps.chain.client, network: deps.chain.network });
  }
  return app;
}
