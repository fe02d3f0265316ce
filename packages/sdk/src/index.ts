/**
 * @shardpay/sdk: the browser-safe client library. Wallets (BIP39/BIP44 accounts, keystores),
 * transaction builders that sign, a JSON-RPC client for the nodes of every shard, and a client of
 * the gateway's REST API and event stream, and light-client verification of its proof answers.
 * Layer 3: imports only @shardpay/crypto, @shardpay/protocol and @shardpay/ledger's browser-safe proof
 * checks, and no Node built-ins.
 */
export { isShardpayError, ShardpayError } from '@shardpay/crypto';
export {
  type BuildEscrowActionParameters,
  type BuildEscrowLockParameters,
  type BuildEscrowSettleParameters,
  buildEscrowDispute,
  buildEscrowLock,
  buildEscrowRefund,
  buildEscrowRelease,
  buildEscrowSettle,
  type SignEscrowActionParameters,
  signEscrowAction,
} from './buildEscrow.ts';
export {
  type BuildIssuerControlParameters,
  buildIssuerControl,
  type SignIssuerControlParameters,
  signIssuerControl,
} from './buildIssuerControl.ts';
export {
  type BuildMultisigCreateParameters,
  type BuildMultisigExecuteParameters,
  buildMultisigCreate,
  buildMultisigExecute,
  findMultisigSalt,
  type MultisigSignature,
  type SignMultisigParameters,
  signMultisig,
  sortMultisigOwners,
} from './buildMultisig.ts';
export {
  type BuildTimelockCancelParameters,
  type BuildTimelockClaimParameters,
  type BuildTimelockCreateParameters,
  buildTimelockCancel,
  buildTimelockClaim,
  buildTimelockCreate,
  signTimelockClaim,
} from './buildTimelock.ts';
export {
  type BuildBurnParameters,
  type BuildCommonParameters,
  type BuildMintParameters,
  type BuildPayParameters,
  type BuildTransferParameters,
  buildBurn,
  buildMint,
  buildPay,
  buildTransaction,
  buildTransfer,
} from './buildTransaction.ts';
export type { HashInput, PublicKeyInput } from './commerceInputs.ts';
export {
  createAccountFromPrivateKey,
  restoreAccountFromKeystore,
  type WalletAccount,
  type WalletAccountJson,
} from './createAccountFromPrivateKey.ts';
export {
  createNodeClient,
  type FetchFunction,
  type HeightInput,
  type NodeClient,
  type NodeClientOptions,
  type WaitForStatusOptions,
  type WantedStatus,
} from './createNodeClient.ts';
export {
  type CreateWalletOptions,
  createWallet,
  type RestoreWalletOptions,
  restoreWallet,
  restoreWalletFromKeystore,
  type Wallet,
  type WalletJson,
} from './createWallet.ts';
export { type BuildCashoutBurnParameters, buildCashoutBurn } from './gateway/buildCashoutBurn.ts';
export {
  createGatewayClient,
  type GatewayClient,
  type GatewayClientOptions,
  type RegisterWalletParameters,
} from './gateway/createGatewayClient.ts';
export {
  type GatewayRequest,
  type GatewayTokens,
  type GatewayTransportOptions,
  newIdempotencyKey,
} from './gateway/createGatewayTransport.ts';
export {
  GatewayError,
  type GatewayErrorMeta,
  isCardError,
  isGatewayError,
} from './gateway/GatewayError.ts';
export type * from './gateway/gatewayTypes.ts';
export type { EventStream, StreamEventsParameters } from './gateway/streamGatewayEvents.ts';
export { type WaitForPaymentOptions, waitForPayment } from './gateway/waitForPayment.ts';
export {
  CASHOUT_STOP_STATUSES,
  PURCHASE_STOP_STATUSES,
  type WaitForRampOptions,
  waitForCashout,
  waitForPurchase,
} from './gateway/waitForRampStatus.ts';
export type { AmountInput, CounterInput } from './inputs.ts';
export type {
  AccountState,
  NetworkInfo,
  ReceiptWithProof,
  TransactionStage,
  TransactionStageName,
  TransactionStatus,
} from './nodeResults.ts';
export type {
  EscrowState,
  EscrowStatus,
  MultisigState,
  ShardControlState,
  TimelockState,
  TimelockStatus,
} from './recordResults.ts';
export {
  type CommerceSendOperation,
  DEFAULT_EXPIRY_BLOCKS,
  type SendOperation,
  type SendParameters,
  type SendResult,
  send,
} from './send.ts';
export * from './verify/index.ts';
export {
  type VerifyWebhookSignatureOptions,
  verifyWebhookSignature,
  webhookSignatureHex,
} from './verifyWebhookSignature.ts';
