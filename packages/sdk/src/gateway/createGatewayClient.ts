import { bytesToHex, type Keystore, signHash } from '@shardpay/crypto';
import { encodeTransaction, type Transaction, walletChallengeSigningHash } from '@shardpay/protocol';
import type { WalletAccount } from '../createAccountFromPrivateKey.ts';
import {
  createGatewayTransport,
  type GatewayRequest,
  type GatewayTokens,
  type GatewayTransportOptions,
  sessionTokens,
} from './createGatewayTransport.ts';
import type {
  CreateCashoutParameters,
  CreatePurchaseParameters,
  GatewayAccount,
  GatewayCashout,
  GatewayChainTransaction,
  GatewayEvent,
  GatewayFaucetTransfer,
  GatewayList,
  GatewayNetwork,
  GatewayPayment,
  GatewayPurchase,
  GatewayReserves,
  GatewaySession,
  GatewayTransaction,
  GatewayUser,
  GatewayWallet,
  GatewayWalletBalance,
  GatewayWalletChallenge,
  ListParameters,
} from './gatewayTypes.ts';
import { type EventStream, type StreamEventsParameters, streamGatewayEvents } from './streamGatewayEvents.ts';

export type GatewayClientOptions = GatewayTransportOptions;

export interface RegisterWalletParameters {
  /** The account to register: its address and public key are sent, and it signs the challenge. */
  account: WalletAccount;
  label?: string;
  /** An encrypted backup the server stores and cannot open (optional). */
  keystore?: Keystore;
}

/** Every call of the gateway API a wallet needs; objects come back as the API returns them. */
export interface GatewayClient {
  readonly url: string;
  /** The tokens held, or null when logged out. */
  tokens(): GatewayTokens | null;
  signUp(parameters: { email: string; password: string }): Promise<GatewayUser>;
  /** Logs in and keeps the session's tokens (and tells `onTokens`). */
  logIn(parameters: { email: string; password: string }): Promise<GatewaySession>;
  /** Trades the refresh token for new tokens; done by itself on a 401 token_expired. */
  refresh(): Promise<GatewaySession>;
  /** Ends the session on the gateway and forgets the tokens. */
  logOut(): Promise<void>;
  me(): Promise<GatewayUser>;
  createWalletChallenge(): Promise<GatewayWalletChallenge>;
  /** Asks a challenge, signs it with the account's key (locally) and registers address + public key. */
  registerWallet(parameters: RegisterWalletParameters): Promise<GatewayWallet>;
  listWallets(parameters?: ListParameters): Promise<GatewayList<GatewayWallet>>;
  getWallet(id: string): Promise<GatewayWallet>;
  walletBalance(walletId: string): Promise<GatewayWalletBalance>;
  walletTransactions(
    walletId: string,
    parameters?: ListParameters,
  ): Promise<GatewayList<GatewayChainTransaction>>;
  /** Submits a signed transaction (or its canonical hex); one Idempotency-Key per call, kept on retries. */
  submitPayment(
    transaction: Transaction | string,
    options?: { idempotencyKey?: string },
  ): Promise<GatewayPayment>;
  getPayment(id: string): Promise<GatewayPayment>;
  listPayments(parameters?: ListParameters): Promise<GatewayList<GatewayPayment>>;
  /** Chain id, shards and their heights, and the genesis (`network_config`). No login needed. */
  network(): Promise<GatewayNetwork>;
  /** Balance and next nonce of any address, from a node of its shard. No login needed. */
  account(address: string): Promise<GatewayAccount>;
  accountTransactions(
    address: string,
    parameters?: ListParameters,
  ): Promise<GatewayList<GatewayChainTransaction>>;
  /** The status stages of a transaction by its 64-hex id. No login needed. */
  transaction(txId: string): Promise<GatewayTransaction>;
  /** Devnet only: free money from the faucet of the address's shard. */
  faucet(
    parameters: { address: string; amount: string },
    options?: { idempotencyKey?: string },
  ): Promise<GatewayFaucetTransfer>;
  listEvents(parameters?: ListParameters): Promise<GatewayList<GatewayEvent>>;
  /**
   * Buys coins with a debit card (`authorized`, or `requires_action` for 3-D Secure). One
   * Idempotency-Key per call, kept on retries. A decline is a GatewayError of type `card_error` whose
   * code is the bank's decline code (`GENERIC_DECLINE`, `INSUFFICIENT_FUNDS`, …): see isCardError.
   */
  createPurchase(
    parameters: CreatePurchaseParameters,
    options?: { idempotencyKey?: string },
  ): Promise<GatewayPurchase>;
  /** The cardholder passed 3-D Secure (sandbox: `fail: true` simulates a failed challenge). */
  confirmPurchase(id: string, options?: { fail?: boolean }): Promise<GatewayPurchase>;
  getPurchase(id: string): Promise<GatewayPurchase>;
  listPurchases(parameters?: ListParameters): Promise<GatewayList<GatewayPurchase>>;
  /** Starts a cash-out (`awaiting_burn`); sign its burn with buildCashoutBurn and send it with submitCashoutBurn. */
  createCashout(
    parameters: CreateCashoutParameters,
    options?: { idempotencyKey?: string },
  ): Promise<GatewayCashout>;
  /** Sends the signed burn (or its canonical hex) that pays for the cash-out; one key per call. */
  submitCashoutBurn(
    id: string,
    transaction: Transaction | string,
    options?: { idempotencyKey?: string },
  ): Promise<GatewayCashout>;
  getCashout(id: string): Promise<GatewayCashout>;
  listCashouts(parameters?: ListParameters): Promise<GatewayList<GatewayCashout>>;
  /** Supply on every shard against the bank reserve. No login needed. */
  reserves(): Promise<GatewayReserves>;
  /** Pushes the caller's events as they happen (WebSocket); returns a closer. */
  streamEvents(parameters: StreamEventsParameters): EventStream;
  /**
   * Any other route of the API, with this client's tokens, retries and error mapping (routes this
   * client has no method for yet: merchants, invoices, webhooks, the store…).
   */
  request<Result>(call: GatewayRequest): Promise<Result>;
}

function listQuery(parameters: ListParameters = {}): Record<string, string | number | undefined> {
  return {
    limit: parameters.limit,
    starting_after: parameters.startingAfter,
    ending_before: parameters.endingBefore,
  };
}

const segment = (value: string) => encodeURIComponent(value);

/** `{idempotencyKey}` for a request when the caller gave one (the transport makes one otherwise). */
function keyOption(options: { idempotencyKey?: string } = {}): { idempotencyKey?: string } {
  return options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey };
}

function transactionHex(transaction: Transaction | string): string {
  return typeof transaction === 'string' ? transaction : bytesToHex(encodeTransaction(transaction));
}

/**
 * A client of the gateway's REST API and event stream. Browser-safe (global fetch and WebSocket).
 * Errors are GatewayError: the API's code upper-cased, with `meta` {status, type, param, requestId};
 * no answer at all is GATEWAY_UNREACHABLE.
 *
 * @example
 *   const gateway = createGatewayClient({ url: 'http://127.0.0.1:8080', onTokens: save });
 *   await gateway.logIn({ email, password });
 *   await gateway.registerWallet({ account: wallet.account(0) });
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const transport = createGatewayTransport(options);
  const { request } = transport;

  return {
    url: transport.url,
    tokens: transport.tokens,
    signUp: (body) => request({ method: 'POST', path: '/v1/users', body }),
    async logIn(body) {
      const session = await request<GatewaySession>({ method: 'POST', path: '/v1/sessions', body });
      transport.setTokens(sessionTokens(session));
      return session;
    },
    refresh: transport.refresh,
    async logOut() {
      try {
        if (transport.tokens()?.accessToken) {
          await request({ method: 'DELETE', path: '/v1/sessions', auth: true });
        }
      } finally {
        transport.setTokens(null);
      }
    },
    me: () => request({ method: 'GET', path: '/v1/me', auth: true }),
    createWalletChallenge: () =>
      request({ method: 'POST', path: '/v1/wallet_challenges', body: {}, auth: true }),
    async registerWallet({ account, label, keystore }) {
      const challenge = await request<GatewayWalletChallenge>({
        method: 'POST',
        path: '/v1/wallet_challenges',
        body: {},
        auth: true,
      });
      const privateKey = account.exportPrivateKey();
      let signature: string;
      try {
        signature = bytesToHex(signHash(walletChallengeSigningHash(challenge.message), privateKey));
      } finally {
        privateKey.fill(0);
      }
      return request<GatewayWallet>({
        method: 'POST',
        path: '/v1/wallets',
        auth: true,
        body: {
          address: account.address,
          public_key: bytesToHex(account.publicKey),
          challenge_id: challenge.id,
          signature,
          ...(label === undefined ? {} : { label }),
          ...(keystore === undefined ? {} : { keystore }),
        },
      });
    },
    listWallets: (parameters) =>
      request({ method: 'GET', path: '/v1/wallets', query: listQuery(parameters), auth: true }),
    getWallet: (id) => request({ method: 'GET', path: `/v1/wallets/${segment(id)}`, auth: true }),
    walletBalance: (walletId) =>
      request({ method: 'GET', path: `/v1/wallets/${segment(walletId)}/balance`, auth: true }),
    walletTransactions: (walletId, parameters) =>
      request({
        method: 'GET',
        path: `/v1/wallets/${segment(walletId)}/transactions`,
        query: listQuery(parameters),
        auth: true,
      }),
    submitPayment(transaction, submitOptions = {}) {
      const hex = typeof transaction === 'string' ? transaction : bytesToHex(encodeTransaction(transaction));
      return request({
        method: 'POST',
        path: '/v1/payments',
        body: { transaction: hex },
        auth: true,
        ...(submitOptions.idempotencyKey === undefined
          ? {}
          : { idempotencyKey: submitOptions.idempotencyKey }),
      });
    },
    getPayment: (id) => request({ method: 'GET', path: `/v1/payments/${segment(id)}`, auth: true }),
    listPayments: (parameters) =>
      request({ method: 'GET', path: '/v1/payments', query: listQuery(parameters), auth: true }),
    network: () => request({ method: 'GET', path: '/v1/network' }),
    account: (address) => request({ method: 'GET', path: `/v1/accounts/${segment(address)}` }),
    accountTransactions: (address, parameters) =>
      request({
        method: 'GET',
        path: `/v1/accounts/${segment(address)}/transactions`,
        query: listQuery(parameters),
      }),
    transaction: (txId) => request({ method: 'GET', path: `/v1/transactions/${segment(txId)}` }),
    faucet: (body, faucetOptions = {}) =>
      request({
        method: 'POST',
        path: '/v1/faucet',
        body,
        ...(faucetOptions.idempotencyKey === undefined
          ? {}
          : { idempotencyKey: faucetOptions.idempotencyKey }),
      }),
    listEvents: (parameters) =>
      request({ method: 'GET', path: '/v1/events', query: listQuery(parameters), auth: true }),
    streamEvents: (parameters) => streamGatewayEvents(transport, parameters),
    createPurchase: (body, callOptions) =>
      request({ method: 'POST', path: '/v1/purchases', body, auth: true, ...keyOption(callOptions) }),
    confirmPurchase: (id, confirmOptions = {}) =>
      request({
        method: 'POST',
        path: `/v1/purchases/${segment(id)}/confirm`,
        body: confirmOptions.fail === true ? { fail: true } : {},
        auth: true,
      }),
    getPurchase: (id) => request({ method: 'GET', path: `/v1/purchases/${segment(id)}`, auth: true }),
    listPurchases: (parameters) =>
      request({ method: 'GET', path: '/v1/purchases', query: listQuery(parameters), auth: true }),
    createCashout: (body, callOptions) =>
      request({ method: 'POST', path: '/v1/cashouts', body, auth: true, ...keyOption(callOptions) }),
    submitCashoutBurn: (id, transaction, callOptions) =>
      request({
        method: 'POST',
        path: `/v1/cashouts/${segment(id)}/burn`,
        body: { transaction: transactionHex(transaction) },
        auth: true,
        ...keyOption(callOptions),
      }),
    getCashout: (id) => request({ method: 'GET', path: `/v1/cashouts/${segment(id)}`, auth: true }),
    listCashouts: (parameters) =>
      request({ method: 'GET', path: '/v1/cashouts', query: listQuery(parameters), auth: true }),
    reserves: () => request({ method: 'GET', path: '/v1/reserves' }),
    request: (call) => request(call),
  };
}
