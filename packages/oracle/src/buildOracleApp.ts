import { randomBytes } from 'node:crypto';
import type { Database } from '@shardpay/database';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { OracleConfig } from './config.ts';
import { errorToOracleResponse } from './http/oracleErrors.ts';
import type { OracleChain } from './OracleChain.ts';
import type { OracleContext } from './OracleContext.ts';
import type { OracleIdentity } from './OracleIdentity.ts';
import { apiKeyAuth } from './plugins/apiKeyAuthPlugin.ts';
import { errorHandler } from './plugins/errorHandlerPlugin.ts';
import { shipmentRoutes } from './routes/shipmentRoutes.ts';

/** What the app is given rather than builds. */
export interface OracleDeps {
  database: Database;
  chain: OracleChain;
  identity: OracleIdentity;
  now?: () => Date;
  /** Where logs go (a stream with `write`); stdout when absent. */
  logStream?: { write(line: string): void };
  /** Told when a shipment is created or delivered on command (the worker's wake-up). */
  onShipmentChanged?: () => void;
}

/** Log paths never written: the API key. */
export const REDACTED_LOG_PATHS = ['req.headers.authorization'];

/**
 * The delivery oracle sandbox as a Fastify app, not listening (tests call `app.inject()`): errors,
 * API key, then routes. Every response says it is a sandbox (`Shardpay-Sandbox: true`).
 */
export function buildOracleApp(config: OracleConfig, deps: OracleDeps): FastifyInstance {
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
      const { status, body } = errorToOracleResponse(error, request.id);
      void (reply as FastifyReply)
        .header('request-id', request.id)
        .header('shardpay-sandbox', 'true')
        .code(status)
        .send(body);
    },
    ajv: {
      // Refuse unknown fields instead of dropping them, and never turn a string into a number.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  const context: OracleContext = {
    config,
    database: deps.database,
    chain: deps.chain,
    identity: deps.identity,
    now: deps.now ?? (() => new Date()),
    onShipmentChanged: deps.onShipmentChanged ?? (() => {}),
  };
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id).header('shardpay-sandbox', 'true');
  });
  // A POST without a body is a POST with no parameters (deliver): validate it as `{}`.
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && (request.body === undefined || request.body === null)) request.body = {};
  });
  app.register(errorHandler);
  app.register(apiKeyAuth, { apiKey: config.apiKey });
  app.register(async (routes) => {
    routes.get('/health', async () => ({ status: 'ok', sandbox: true }));
  });
  app.register(shipmentRoutes, context);
  return app;
}
