/**
 * @shardpay/gateway: the HTTP server (not a node) users, wallets and merchants talk to.
 * Layer 4: composes crypto/protocol; state in PostgreSQL (PGlite embedded by default).
 */

// One verifier for merchants, in the SDK (browser-safe); re-exported for Node servers using this package.
export { type VerifyWebhookSignatureOptions, verifyWebhookSignature } from '@shardpay/sdk';
export { type AuditEntry, type AuditKind, appendAudit } from './audit/appendAudit.ts';
export { type AuditVerification, verifyAuditLog } from './audit/verifyAuditLog.ts';
export { type AccessTokenClaims, signAccessToken, verifyAccessToken } from './auth/accessTokens.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export type { BankClient } from './bank/BankClient.ts';
export { type BankClientOptions, createBankClient } from './bank/createBankClient.ts';
export { buildGatewayApp, type GatewayDeps, REDACTED_LOG_PATHS } from './buildGatewayApp.ts';
export {
  type ChainClient,
  type ChainClientOptions,
  type ChainNodeState,
  createChainClient,
} from './chain/createChainClient.ts';
export { type AccountReading, homeShardOf, readAccount } from './chain/readAccount.ts';
export { type GatewayConfig, type GatewayMode, loadGatewayConfig, resolveGatewayConfig } from './config.ts';
export {
  closeGatewayServerOnSignals,
  createGatewayServer,
  type GatewayServer,
} from './createGatewayServer.ts';
export { gatewayMigrationsDirectory } from './db/migrationsDirectory.ts';
export { openGatewayDatabase } from './db/openGatewayDatabase.ts';
export {
  createEventHub,
  type EventHub,
  type EventHubDeps,
  type EventHubOptions,
  type EventSubscription,
} from './events/createEventHub.ts';
export { movePaymentStatus, type PaymentStatus } from './events/movePaymentStatus.ts';
export {
  type EventObject,
  type EventType,
  eventToJson,
  lockEventOrder,
  writeEvent,
} from './events/writeEvent.ts';
export { createFaucet, type Faucet, type FaucetTransfer } from './faucet/createFaucet.ts';
export { loadFaucetKeys } from './faucet/loadFaucetKeys.ts';
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
export { CRASH_STEPS, type CrashHook, type CrashStep, crashHookFromEnv } from './ramp/crashPoints.ts';
export { createRampRuntime, type RampRuntime, type RampRuntimeDeps } from './ramp/createRampRuntime.ts';
export { createRampWorker, type RampWorker } from './ramp/createRampWorker.ts';
export { loadIssuerKey } from './ramp/loadIssuerKey.ts';
export { defaultRampSettings, type RampServices, type RampSettings } from './ramp/RampServices.ts';
export { type ReservesReading, readReserves } from './ramp/readReserves.ts';
export { walletChallengeMessage } from './walletChallenge.ts';
export {
  createWebhookSender,
  type WebhookSender,
  type WebhookSenderDeps,
} from './webhooks/createWebhookSender.ts';
export { fanOutWebhookEvents } from './webhooks/fanOutWebhookEvents.ts';
export { signWebhookPayload, type WebhookSignatureHeaders } from './webhooks/signWebhookPayload.ts';
export {
  defaultWebhookSettings,
  loadWebhookSettings,
  type WebhookSettings,
  webhookRetryDelayMs,
} from './webhooks/webhookSettings.ts';
