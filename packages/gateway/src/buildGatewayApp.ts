import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { Database } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { AccessTokenSettings } from './auth/accessTokens.ts';
import { merchantAuth } from './auth/merchantAuth.ts';
import type { ChainClient } from './chain/createChainClient.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './GatewayContext.ts';
import { apiError, errorToApiResponse } from './http/apiErrors.ts';
import { auth } from './plugins/authPlugin.ts';
import { errorHandler } from './plugins/errorHandlerPlugin.ts';
import { idempotency } from './plugins/idempotencyPlugin.ts';
import { metrics } from './plugins/metricsPlugin.ts';
import type { RampServices } from './ramp/RampServices.ts';
import { auditRoutes } from './routes/auditRoutes.ts';
import { cashoutRoutes } from './routes/cashoutRoutes.ts';
import { checkoutRoutes } from './routes/checkoutRoutes.ts';
import { escrowCheckoutRoutes } from './routes/escrowCheckoutRoutes.ts';
import { eventRoutes } from './routes/eventRoutes.ts';
import { explorerRoutes } from './routes/explorerRoutes.ts';
import { faucetRoutes } from './routes/faucetRoutes.ts';
import { historyRoutes } from './routes/historyRoutes.ts';
import { invoiceRoutes } from './routes/invoiceRoutes.ts';
import { merchantRoutes } from './routes/merchantRoutes.ts';
import { paymentRoutes } from './routes/paymentRoutes.ts';
import { productRoutes } from './routes/productRoutes.ts';
import { publicChainRoutes } from './routes/publicChainRoutes.ts';
import { purchaseRoutes } from './routes/purchaseRoutes.ts';
import { refundRoutes } from './routes/refundRoutes.ts';
import { reserveRoutes } from './routes/reserveRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';
import { shipmentRoutes } from './routes/shipmentRoutes.ts';
import { storeRoutes } from './routes/storeRoutes.ts';
import { transactionRelayRoutes } from './routes/transactionRelayRoutes.ts';
import { userRoutes } from './routes/userRoutes.ts';
import { volumeRoutes } from './routes/volumeRoutes.ts';
import { walletRoutes } from './routes/walletRoutes.ts';
import { webAppRoutes } from './routes/webAppRoutes.ts';
import { webhookRoutes } from './routes/webhookRoutes.ts';
import { errorResponseSchema } from './schemas/commonSchemas.ts';

/** What the app is given rather than builds: the migrated database, a clock, a log destination. */
export interface GatewayDeps {
  database: Database;
  now?: () => Date;
  /** Where logs go (a stream with `write`); stdout when absent. */
  logStream?: { write(line: string): void };
  /** The chain and its genesis; without them the payment routes are not served. */
  chain?: { client: ChainClient; network: NetworkConfig };
  /** The event stream's timing: events-table poll period (200 ms) and WebSocket ping period (30 s). */
  events?: { pollIntervalMs?: number; heartbeatMs?: number };
  /** The on-ramp and off-ramp (bank, issuer key, worker wake-up); without it those routes are not served. */
  ramp?: { services: RampServices; wake: () => void };
  /** Wakes the webhook sender (createGatewayServer runs one); without it deliveries wait for its poll. */
  webhooks?: { wake: () => void };
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
  '*.card',
  '*.number',
  '*.cvc',
  '*.apiKey',
  '*.oracleApiKey',
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
    // The router refuses some URLs (bad percent-encoding, a path parameter over 100 chars) before any
    // hook runs: give those the error object too (the OpenAPI fuzz test found Fastify's own body).
    frameworkErrors: (error, request, reply) => {
      const { status, body } = errorToApiResponse(error, request.id);
      void (reply as unknown as FastifyReply).header('request-id', request.id).code(status).send(body);
    },
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
  app.register(merchantAuth, { database: deps.database });
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
  // Closes its sockets on app.close() (preClose), so a graceful shutdown does not wait on them.
  app.register(websocket);
  // Routes inside plugins, so they are added after (and see) every app plugin's onRoute hooks.
  app.register(async (routes) => {
    routes.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  });
  app.register(userRoutes, context);
  app.register(sessionRoutes, context);
  app.register(walletRoutes, context);
  app.register(historyRoutes, context);
  app.register(merchantRoutes, context);
  // The shop (docs/gateway.md "The store"): products and the dashboard's volume chart.
  app.register(productRoutes, context);
  app.register(volumeRoutes, context);
  // Money in and out (docs/gateway.md "Money in and out"); the audit check only outside production.
  if (deps.ramp !== undefined) {
    const rampOptions = { ...context, ramp: deps.ramp.services, wake: deps.ramp.wake };
    app.register(purchaseRoutes, { ...rampOptions, limits: config.purchaseLimits });
    app.register(cashoutRoutes, rampOptions);
    app.register(reserveRoutes, { ramp: deps.ramp.services });
  }
  if (config.mode !== 'production') app.register(auditRoutes, { database: deps.database });
  app.register(webhookRoutes, {
    ...context,
    ...(deps.webhooks === undefined ? {} : { wakeWebhooks: deps.webhooks.wake }),
  });
  app.register(eventRoutes, {
    ...context,
    ...(deps.events?.pollIntervalMs === undefined ? {} : { eventPollIntervalMs: deps.events.pollIntervalMs }),
    ...(deps.events?.heartbeatMs === undefined ? {} : { eventHeartbeatMs: deps.events.heartbeatMs }),
  });
  if (deps.chain !== undefined) {
    app.register(paymentRoutes, { ...context, chain: deps.chain.client, network: deps.chain.network });
    app.register(publicChainRoutes, { ...context, chain: deps.chain.client, network: deps.chain.network });
    app.register(explorerRoutes, { ...context, chain: deps.chain.client, network: deps.chain.network });
    // Merchants' invoices (docs/gateway.md "Merchants and invoices"): payment URIs name the chain.
    app.register(invoiceRoutes, { ...context, network: deps.chain.network });
    app.register(refundRoutes, { ...context, chain: deps.chain.client, network: deps.chain.network });
    app.register(checkoutRoutes, context);
    app.register(storeRoutes, { ...context, network: deps.chain.network });
    app.register(shipmentRoutes, context);
    app.register(escrowCheckoutRoutes, { ...context, chain: deps.chain.client, network: deps.chain.network });
    app.register(transactionRelayRoutes, {
      ...context,
      chain: deps.chain.client,
      network: deps.chain.network,
    });
    // The faucet gives money away: a devnet only. Elsewhere the route does not exist (404).
    if (config.mode === 'devnet') {
      app.register(faucetRoutes, {
        ...context,
        chain: deps.chain.client,
        network: deps.chain.network,
        keysDir: config.faucetKeysDir,
      });
    }
  }
  // The browser app (docs/web.md): its files at `/`, index.html for the app's own paths.
  if (config.webDir !== undefined) app.register(webAppRoutes, { webDir: config.webDir });
  return app;
}
