/**
 * The gateway's JSON objects as the API returns them (docs/gateway.md): snake_case fields, typed ids,
 * amounts as decimal strings with 6 decimals, times in unix seconds. The client passes them through
 * unchanged, so these types are the API's, not a re-shaped copy.
 */
import type { NetworkConfigJson, OperationType } from '@shardpay/protocol';

/** A cursor page: `{object: "list", data, has_more}`. */
export interface GatewayList<Item> {
  object: 'list';
  data: Item[];
  has_more: boolean;
}

/** `limit` (1–100) and one cursor: an id from the list. */
export interface ListParameters {
  limit?: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface GatewayUser {
  id: string;
  object: 'user';
  email: string;
  created: number;
}

export interface GatewaySession {
  id: string;
  object: 'session';
  user_id: string;
  token_type: 'Bearer';
  access_token: string;
  expires_at: number;
  refresh_token: string;
  refresh_token_expires_at: number;
}

export interface GatewayWalletChallenge {
  id: string;
  object: 'wallet_challenge';
  message: string;
  expires_at: number;
}

export interface GatewayWallet {
  id: string;
  object: 'wallet';
  address: string;
  public_key: string;
  label: string | null;
  has_keystore: boolean;
  /** Only on `GET /v1/wallets/:id`. */
  keystore?: Record<string, unknown> | null;
  created: number;
}

export interface GatewayPayment {
  id: string;
  object: 'payment';
  wallet: string;
  tx_id: string;
  shard: number;
  operation: 'transfer' | 'pay' | 'burn';
  from: string;
  to: string | null;
  amount: string;
  fee: string;
  currency: 'usd';
  /** pending → final → credited (across shards), or refused → refunded. */
  status: string;
  created: number;
}

export interface GatewayWalletBalance {
  object: 'balance';
  wallet: string;
  address: string;
  shard: number;
  available: string;
  currency: 'usd';
  nonce: string;
  height: string;
}

export interface GatewayChainTransaction {
  object: 'chain_transaction';
  tx_id: string;
  shard: number;
  height: string;
  position?: number;
  timestamp: number;
  /** Any operation type; see docs/gateway.md for the parties the index records for each. */
  operation: OperationType;
  direction: 'sent' | 'received' | 'self';
  from: string;
  to: string | null;
  amount: string;
  fee: string;
  currency?: 'usd';
  status?: 'final' | 'credited' | 'refunded' | 'pending_credit';
  target_shard?: number | null;
}

export interface GatewayShardStatus {
  id: number;
  /** The shard's latest height as a decimal string; null when no node of it answered. */
  height: string | null;
  validators: number;
  nodes_up: number;
  nodes: number;
}

export interface GatewayNetwork {
  object: 'network';
  chain_id: string;
  address_prefix: string;
  shards: GatewayShardStatus[];
  /** The genesis, so clients compute home shards and sign locally. */
  network_config?: NetworkConfigJson;
}

export interface GatewayAccount {
  object: 'account';
  address: string;
  shard: number;
  balance: string;
  currency: 'usd';
  /** The next nonce by committed state. */
  nonce: string;
  /** The next nonce counting transactions still waiting in the mempool, when the gateway gives it. */
  pending_nonce?: string;
  height: string;
}

export interface GatewayTransactionStage {
  stage: string;
  shard: number;
  height: string | null;
}

export interface GatewayTransaction {
  object: 'transaction';
  tx_id: string;
  status: string;
  shard: number;
  target_shard: number | null;
  stages: GatewayTransactionStage[];
}

export interface GatewayFaucetTransfer {
  object: 'faucet_transfer';
  tx_id: string;
  shard: number;
  to: string;
  amount: string;
  currency: 'usd';
  status: string;
}

export interface GatewayEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: Record<string, unknown>;
}

/** A debit card, sent to the gateway (and by it to the bank) only to authorize; never stored. */
export interface GatewayCard {
  /** 12–19 digits (spaces allowed). */
  number: string;
  exp_month: number;
  /** Four digits, e.g. 2030. */
  exp_year: number;
  cvc: string;
}

export interface CreatePurchaseParameters {
  /** The gateway id (`wal_…`) of one of the caller's wallets: the coins are minted to its address. */
  wallet: string;
  /** Dollars in whole cents, e.g. "100" or "12.50". */
  amount: string;
  card: GatewayCard;
}

/**
 * `created` → `authorized` (or `requires_action` for 3-D Secure, then `authorized` once confirmed) →
 * `minting` → `minted` → `succeeded`; or `failed` (a decline, or `voiding` → `failed` when the mint
 * expired).
 */
export type GatewayPurchaseStatus =
  | 'created'
  | 'requires_action'
  | 'authorized'
  | 'minting'
  | 'minted'
  | 'succeeded'
  | 'voiding'
  | 'failed';

export interface GatewayPurchase {
  id: string;
  object: 'purchase';
  status: GatewayPurchaseStatus;
  amount: string;
  currency: 'usd';
  wallet: string;
  address: string;
  /** The bank's charge id (`pi_…`), once the bank answered. */
  charge: string | null;
  /** The mint's transaction id, once signed. */
  tx: string | null;
  card: { brand: string; last4: string } | null;
  /** `{type: "three_d_secure"}` while `requires_action`. */
  next_action: { type: string } | null;
  failure_code: string | null;
  failure_message: string | null;
  created: number;
}

export interface CreateCashoutParameters {
  /** The gateway id (`wal_…`) of the wallet that will burn the coins. */
  wallet: string;
  /** Dollars in whole cents. */
  amount: string;
  bank_account: { routing_number: string; account_number: string };
}

/**
 * `awaiting_burn` → `burning` → `burned` → `paying_out` → `paid`; or → `refunding` → `refunded` when
 * the bank cannot pay. A burn that expires unincluded goes back to `awaiting_burn` (`burn_expired`).
 */
export type GatewayCashoutStatus =
  | 'awaiting_burn'
  | 'burning'
  | 'burned'
  | 'paying_out'
  | 'paid'
  | 'refunding'
  | 'refunded';

export interface GatewayCashout {
  id: string;
  object: 'cashout';
  status: GatewayCashoutStatus;
  amount: string;
  currency: 'usd';
  wallet: string;
  address: string;
  /** The burn's `payoutReference`: the cash-out id. */
  payout_reference: string;
  bank_account: { routing_number: string; last4: string };
  burn_tx: string | null;
  /** The bank's payout id, once requested. */
  payout: string | null;
  refund_tx: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created: number;
}

export interface GatewayReserveShard {
  id: number;
  height: string;
  minted: string;
  burned: string;
  outstanding: string;
}

/** Supply on chain against the bank reserve; `difference` = reserve − (supply − awaiting_capture + awaiting_payout). */
export interface GatewayReserves {
  object: 'reserves';
  supply: string;
  reserve: string;
  matches: boolean;
  difference: string;
  currency: 'usd';
  in_flight: { awaiting_capture: string; awaiting_payout: string };
  genesis_supply: string;
  shards: GatewayReserveShard[];
  bank: { available: string; pending_payouts: string; as_of: number };
}
