/**
 * @shardpay/gateway: the HTTP server (not a node) users, wallets and merchants talk to.
 * Layer 4: composes crypto/protocol; state in PostgreSQL (PGlite embedded by default).
 */

export { type AccessTokenClaims, signAccessToken, verifyAccessToken } from './auth/accessTokens.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { buildGatewayApp, type GatewayDeps, REDACTED_LOG_PATHS } from './buildGatewayApp.ts';
export {
  type ChainClient,
  type ChainClientOptions,
  type ChainNodeState,
  createChainClient,
} from './chain/createChainClient.ts';
export { type GatewayConfig, type GatewayMode, loadGatewayConfig, resolveGatewayConfig } from './config.ts';
export {
  closeGatewayServerOnSignals,
  createGatewayServer,
  type GatewayServer,
} from './createGatewayServer.ts';
export { type CreatePgliteDatabaseOptions, createPgliteDatabase } from './db/createPgliteDatabase.ts';
export { type CreatePostgresDatabaseOptions, createPostgresDatabase } from './db/createPostgresDatabase.ts';
export type { Database, Queryable, QueryResult } from './db/Database.ts';
export { openGatewayDatabase } from './db/openGatewayDatabase.ts';
export { loadMigrations, type Migration, runMigrations } from './db/runMigrations.ts';
export { type ApiErrorBody, type ApiErrorType, apiError, errorToApiResponse } from './http/apiErrors.ts';
export { createId, type IdPrefix, isId } from './ids.ts';
export {
  createIndexer,
  type Indexer,
  type IndexerDeps,
  type IndexerOptions,
} from './indexer/createIndexer.ts';
export { errorHandler } from './plugins/errorHandlerPlugin.ts';
export {
  type IdempotencyMode,
  idempotency,
  idempotencyRequestHash,
  purgeExpiredIdempotencyKeys,
} from './plugins/idempotencyPlugin.ts';
export {
  WALLET_CHALLENGE_DOMAIN,
  walletChallengeMessage,
  walletChallengeSigningHash,
} from './walletChallenge.ts';
