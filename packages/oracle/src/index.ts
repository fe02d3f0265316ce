/**
 * @shardpay/oracle: the delivery oracle SANDBOX. It stands in for a carrier and a delivery oracle:
 * shipments for on-chain escrows become delivered after a set time or on command, and the oracle
 * then signs its delivery attestation and submits the escrow_release that pays the merchant.
 * Layer 4: imports crypto, protocol, database and sdk.
 */
export { buildOracleApp, type OracleDeps } from './buildOracleApp.ts';
export {
  loadOracleConfig,
  type OracleConfig,
  type OracleConfigOverrides,
  parseChainNodes,
  readOracleKeyFile,
  resolveOracleConfig,
} from './config.ts';
export { createOracleServer, type OracleServer } from './createOracleServer.ts';
export { oracleMigrationsDirectory } from './db/migrationsDirectory.ts';
export { deriveFeePayerKey, deriveFeePayers, FEE_PAYER_KEY_DOMAIN } from './deriveFeePayerKey.ts';
export { main } from './main.ts';
export type { OracleChain } from './OracleChain.ts';
export { createOracleIdentity, type OracleIdentity } from './OracleIdentity.ts';
export type { ShipmentObject, ShipmentStatus } from './shipments/shipmentObject.ts';
export { advanceShipments } from './worker/advanceShipments.ts';
export { createDeliveryWorker, type DeliveryWorker } from './worker/createDeliveryWorker.ts';
