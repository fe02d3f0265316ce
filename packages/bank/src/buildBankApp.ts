import { randomBytes } from 'node:crypto';
import type { Database } from '@shardpay/database';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { BankContext } from './BankContext.ts';
import type { BankConfig } from './config.ts';
import { isFiatAmount } from './fiatAmount.ts';
import { errorToBankResponse } from './http/bankErrors.ts';
import { apiKeyAuth } from './plugins/apiKeyAuthPlugin.ts';
import { errorHandler } from './plugins/errorHandlerPlugin.ts';
import { idempotency } from './plugins/idempotencyPlugin.ts';
import { paymentIntentRoutes } from './routes/paymentIntentRoutes.ts';
import { payoutRoutes } from './routes/payoutRoutes.ts';
import { refundRoutes } from './routes/refundRoutes.ts';
import { reserveRoutes } from './routes/reserveRoutes.ts';

/** What the app is given rather than builds: the migrated database, a clock, a log destination. */
export interface BankDeps {
  database: Database;
  now?: () => Date;
  /** Where logs go (a stream with `write`); stdout when absent. */
  logStream?: { write(line: string): void };
  /** Told when a payout commits (the server's payout clock); nothing when absent. */
  onPayoutCreated?: () => void;
}

/** Log paths never written: the API key, and card data should a body ever be logged. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  '*.card',
  '*.number',
  '*.cvc',
  '*.account_number',
];

/**
 * The bank sandbox as a Fastify app, not listening (tests call `app.inject()`): app plugins (errors,
 * API key, idempotency), then routes. Every response says it is a sandbox (`Shardpay-Sandbox: true`).
 */
export function buildBankApp(config: BankConfig, deps: BankDeps): FastifyInstance {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      ...(deps.logStream === undefined ? {} : { stream: deps.logStream }),
    },
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => `req_${randomBytes(12).toString('base64url')}`,
    requestIdHeader: false,
    return503OnClosing: true,
    frameworkErrors: (error, request, reply) => {
      const { status, body } = errorToBankResponse(error, request.id);
      void (reply as FastifyReply)
        .header('request-id', request.id)
        .header('shardpay-sandbox', 'true')
        .code(status)
        .send(body);
    },
    ajv: {
      // Refuse unknown fields instead of dropping them, and never turn a number into a string.
      // `verbose` keeps the refused value, so an amount's refusal can say exactly what is wrong.
      customOptions: {
        removeAdditional: false,
        coerceTypes: false,
        useDefaults: false,
        allErrors: false,
        verbose: true,
        formats: { 'fiat-amount': { type: 'string', validate: isFiatAmount } },
      },
    },
  });
  const context: BankContext = {
    config,
    database: deps.database,
    now,
    onPayoutCreated: deps.onPayoutCreated ?? (() => {}),
  };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id).header('shardpay-sandbox', 'true');
  });
  // A POST without a body is a POST with no parameters (capture, cancel): validate it as `{}`.
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && (request.body === undefined || request.body === null)) request.body = {};
  });
  app.register(errorHandler);
  app.register(apiKeyAuth, { apiKey: config.apiKey });
  app.register(idempotency, {
    database: deps.database,
    now,
    hashKey: `shardpay-bank/idempotency/${config.apiKey}`,
  });
  app.register(async (routes) => {
    routes.get('/health', async () => ({ status: 'ok', sandbox: true }));
  });
  app.register(paymentIntentRoutes, context);
  app.register(refundRoutes, context);
  app.register(payoutRoutes, context);
  app.register(reserveRoutes, context);
  return app;
}
