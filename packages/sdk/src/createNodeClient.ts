import { bytesToHex, decodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import {
  assertValidNetworkConfig,
  type Block,
  type BlockHeader,
  blockFromJson,
  blockHeaderFromJson,
  encodeTransaction,
  type NetworkConfig,
  networkConfigFromJson,
  shardOfAddress,
  type Transaction,
  transactionId,
} from '@shardpay/protocol';
import {
  type AccountState,
  fromProtocolJson,
  type NetworkInfo,
  type ReceiptWithProof,
  readAccountState,
  readNetworkInfo,
  readReceiptWithProof,
  readTransactionStatus,
  type TransactionStatus,
} from './nodeResults.ts';
import {
  type EscrowState,
  type MultisigState,
  readEscrowState,
  readMultisigState,
  readShardControlState,
  readTimelockState,
  type ShardControlState,
  type TimelockState,
} from './recordResults.ts';

/** The fetch the client calls: the global one by default, or any compatible function. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface NodeClientOptions {
  /** RPC base URLs of each shard's nodes: `urls[shard]` (e.g. `['http://127.0.0.1:8090', …]`). */
  urls: ReadonlyArray<ReadonlyArray<string>>;
  /** The network's config; fetched (and checked) from shard 0's nodes on first need when left out. */
  network?: NetworkConfig;
  fetch?: FetchFunction;
  /** Per HTTP request; a node slower than this counts as unreachable (default 10 s). */
  requestTimeoutMs?: number;
}

/** A block height: a bigint, or `'latest'` (the default). */
export type HeightInput = bigint | 'latest';

export interface WaitForStatusOptions {
  /** The sender's shard (asked directly); without it every shard is asked until one knows the id. */
  shard?: number;
  /** Give up after this long (default 60 s): NODE_UNREACHABLE with `meta.reason` 'timeout'. */
  timeoutMs?: number;
  /** First poll interval (default 100 ms), growing 1.5× per poll up to 1 s. */
  pollIntervalMs?: number;
  /** Stops the wait early: it then throws STOPPED. */
  signal?: AbortSignal;
}

/** The stage to wait for: `final` on the sender's shard, or `credited` on the recipient's. */
export type WantedStatus = 'final' | 'credited';

/** Typed access to the node JSON-RPC of every shard, routed to a node of the right shard. */
export interface NodeClient {
  /** The network config (given, or fetched once). */
  network(): Promise<NetworkConfig>;
  /** Submits a signed transaction (as hex of its canonical bytes) to a node of `tx.shard`. */
  submitTransaction(tx: Transaction): Promise<{ txId: string }>;
  /** An account, read from a node of its home shard. */
  getAccount(address: string, options?: { proof?: boolean }): Promise<AccountState>;
  /** The status of a transaction id (hex), asked on `shard` or on every shard until one knows it. */
  getTransactionStatus(txId: string, options?: { shard?: number }): Promise<TransactionStatus>;
  /**
   * Polls (with backoff) until the transaction reaches `wanted`, or a terminal stage that ends the
   * wait: `credited` also ends on `refunded`, or on `final` without a cross-shard receipt. Check
   * `status.status` on return.
   */
  waitForStatus(
    txId: string,
    wanted: WantedStatus,
    options?: WaitForStatusOptions,
  ): Promise<TransactionStatus>;
  getBlock(shard: number, height?: HeightInput): Promise<Block | null>;
  getHeader(shard: number, height?: HeightInput): Promise<BlockHeader | null>;
  /** An outgoing receipt of `shard` with its proof, or null. */
  getReceipt(shard: number, receiptId: string): Promise<ReceiptWithProof | null>;
  networkInfo(shard: number): Promise<NetworkInfo>;
  /** The genesis as a node of `shard` (default 0) serves it, checked with `assertValidNetworkConfig`. */
  getNetworkConfig(shard?: number): Promise<NetworkConfig>;
  /**
   * An escrow by id (hex), read on `shard` (the buyer's) or, without it, on every shard until one holds
   * it. ESCROW_NOT_FOUND when none does.
   */
  getEscrow(escrowId: string, options?: { shard?: number }): Promise<EscrowState>;
  /** A time lock by id (hex), on `shard` (the sender's) or on every shard. TIMELOCK_NOT_FOUND when none. */
  getTimelock(timelockId: string, options?: { shard?: number }): Promise<TimelockState>;
  /** A multisig account, read from a node of its home shard. MULTISIG_NOT_FOUND when it does not exist. */
  getMultisig(address: string): Promise<MultisigState>;
  /** Whether `shard` is paused, and its next issuer control nonce. */
  getShardControl(shard: number): Promise<ShardControlState>;
  /** Whether an account is frozen, read from a node of its home shard. */
  isFrozen(address: string): Promise<boolean>;
  /** One raw JSON-RPC call to a node of `shard` (with failover). */
  call(shard: number, method: string, params?: unknown): Promise<unknown>;
}

const defaultRequestTimeoutMs = 10_000;
const defaultWaitTimeoutMs = 60_000;
const maxPollIntervalMs = 1_000;

interface RpcReply {
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: { code?: unknown; meta?: unknown } };
}

/** Why a node counts as unreachable (we try the next one); other failures are answers. */
class Unreachable {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertUrls(urls: NodeClientOptions['urls']): void {
  if (!Array.isArray(urls) || urls.length === 0) {
    throw new ShardpayError(
      'INVALID_PARAMS',
      'urls lists the RPC URLs of each shard: urls[shard] = [url, …]',
      {
        meta: { field: 'urls' },
      },
    );
  }
  urls.forEach((shardUrls, shard) => {
    if (!Array.isArray(shardUrls) || shardUrls.length === 0) {
      throw new ShardpayError('INVALID_PARAMS', `urls[${shard}] lists at least one URL`, {
        meta: { field: `urls[${shard}]` },
      });
    }
    for (const url of shardUrls) {
      if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw new ShardpayError('INVALID_PARAMS', `urls[${shard}] holds a URL that is not http(s)`, {
          meta: { field: `urls[${shard}]` },
        });
      }
    }
  });
}

function heightParam(height: HeightInput | undefined): { height: string } {
  if (height === undefined || height === 'latest') return { height: 'latest' };
  if (typeof height !== 'bigint' || height < 0n) {
    throw new ShardpayError('INVALID_PARAMS', "a height is a non-negative bigint or 'latest'", {
      meta: { field: 'height' },
    });
  }
  return { height: height.toString() };
}

/** Transaction, receipt and record ids are 32-byte hashes in lowercase hex. */
function assertHashParam(value: string, field: 'txId' | 'receiptId' | 'escrowId' | 'timelockId'): void {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
    throw new ShardpayError('INVALID_PARAMS', `${field} is 64 lowercase hex chars`, { meta: { field } });
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

function isStatusReached(status: TransactionStatus, wanted: WantedStatus): boolean {
  switch (status.status) {
    case 'unknown':
    case 'pending':
      return false;
    case 'final':
      return wanted === 'final' || status.targetShard === undefined;
    case 'refused':
      // The refund is on its way back; for `credited` the wait ends once it lands.
      return wanted === 'final';
    case 'credited':
    case 'refunded':
      return true;
  }
}

/**
 * A JSON-RPC client for the nodes of every shard. Calls go round robin over a shard's nodes; a node
 * that does not answer (network error, timeout, not JSON-RPC) is skipped for the next one, and only
 * when all fail is the call NODE_UNREACHABLE. A JSON-RPC error is a ShardpayError with the node's
 * `error.data.code` (RPC_ERROR if it gave none) and its `meta`.
 *
 * @example
 *   const client = createNodeClient({ urls: [['http://127.0.0.1:8090'], ['http://127.0.0.1:8094']] });
 *   const { balance } = await client.getAccount('spd1…');
 */
export function createNodeClient(options: NodeClientOptions): NodeClient {
  assertUrls(options.urls);
  const urls = options.urls.map((shardUrls) => [...shardUrls]);
  const doFetch: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const nextIndex = urls.map(() => 0);
  let requestId = 0;
  let networkPromise: Promise<NetworkConfig> | undefined;
  if (options.network !== undefined) {
    assertValidNetworkConfig(options.network);
    networkPromise = Promise.resolve(options.network);
  }

  async function callOne(url: string, method: string, params: unknown): Promise<unknown> {
    let reply: unknown;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++requestId, method, params: params ?? {} }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await response.text();
      try {
        reply = JSON.parse(text);
      } catch {
        throw new Unreachable(`HTTP ${response.status} without a JSON body`);
      }
    } catch (error) {
      if (error instanceof Unreachable) throw error;
      const name = error instanceof Error ? error.name : '';
      throw new Unreachable(
        name === 'TimeoutError' ? `no answer in ${requestTimeoutMs} ms` : 'network error',
      );
    }
    if (!isRecord(reply)) throw new Unreachable('not a JSON-RPC response');
    const { error } = reply as RpcReply;
    if (isRecord(error)) {
      const data = isRecord(error.data) ? error.data : {};
      const code =
        typeof data.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(data.code) ? data.code : 'RPC_ERROR';
      const message = typeof error.message === 'string' ? error.message : 'the node refused the call';
      throw new ShardpayError(code, message, {
        meta: { ...(isRecord(data.meta) ? data.meta : {}), url, method, rpcCode: error.code },
      });
    }
    if (!('result' in reply)) throw new Unreachable('a JSON-RPC response without result or error');
    return reply.result;
  }

  async function call(shard: number, method: string, params?: unknown): Promise<unknown> {
    const shardUrls = Number.isSafeInteger(shard) ? urls[shard] : undefined;
    if (shardUrls === undefined) {
      throw new ShardpayError('SHARD_UNKNOWN', `no node URL is configured for shard ${shard}`, {
        meta: { shard, shards: urls.length },
      });
    }
    const start = nextIndex[shard]!;
    nextIndex[shard] = (start + 1) % shardUrls.length;
    const failures: string[] = [];
    for (let attempt = 0; attempt < shardUrls.length; attempt++) {
      const url = shardUrls[(start + attempt) % shardUrls.length]!;
      try {
        return await callOne(url, method, params);
      } catch (error) {
        if (!(error instanceof Unreachable)) throw error;
        failures.push(`${url}: ${error.reason}`);
      }
    }
    throw new ShardpayError(
      'NODE_UNREACHABLE',
      `no node of shard ${shard} answered ${method} (${failures.join('; ')})`,
      {
        meta: { shard, method, urls: shardUrls },
      },
    );
  }

  async function getNetworkConfig(shard = 0): Promise<NetworkConfig> {
    const json = await call(shard, 'shardpay_getNetworkConfig');
    const config = fromProtocolJson(() => networkConfigFromJson(json), '');
    fromProtocolJson(() => assertValidNetworkConfig(config), '');
    return config;
  }

  function network(): Promise<NetworkConfig> {
    if (networkPromise === undefined) {
      const loading = getNetworkConfig(0);
      networkPromise = loading;
      // A failed load is retried on the next call instead of being cached.
      loading.catch(() => {
        if (networkPromise === loading) networkPromise = undefined;
      });
    }
    return networkPromise;
  }

  async function getTransactionStatus(
    txId: string,
    statusOptions: { shard?: number } = {},
  ): Promise<TransactionStatus> {
    assertHashParam(txId, 'txId');
    const shards = statusOptions.shard === undefined ? urls.map((_, shard) => shard) : [statusOptions.shard];
    let last: TransactionStatus | undefined;
    for (const shard of shards) {
      last = readTransactionStatus(await call(shard, 'shardpay_getTransactionStatus', { txId }));
      if (last.status !== 'unknown') return last;
    }
    return last!;
  }

  /** The home shard of a bech32m address of this network (the address error names `field`). */
  async function shardOfAddressText(address: string, field: string): Promise<number> {
    const config = await network();
    try {
      return shardOfAddress(config, decodeAddress(address, config.addressPrefix));
    } catch (error) {
      if (isShardpayError(error)) throw new ShardpayError(error.code, error.message, { meta: { field } });
      throw error;
    }
  }

  /** Reads a record by id on `shard`, or on every shard until one holds it (`notFound` from all others). */
  async function findRecord<T>(
    shard: number | undefined,
    notFound: string,
    read: (shard: number) => Promise<T>,
  ): Promise<T> {
    if (shard !== undefined) return read(shard);
    let last: unknown;
    for (let candidate = 0; candidate < urls.length; candidate++) {
      try {
        return await read(candidate);
      } catch (error) {
        if (!isShardpayError(error, notFound)) throw error;
        last = error;
      }
    }
    throw last;
  }

  return {
    network,

    async getEscrow(escrowId, recordOptions = {}) {
      assertHashParam(escrowId, 'escrowId');
      return findRecord(recordOptions.shard, 'ESCROW_NOT_FOUND', async (shard) =>
        readEscrowState(await call(shard, 'shardpay_getEscrow', { escrowId })),
      );
    },

    async getTimelock(timelockId, recordOptions = {}) {
      assertHashParam(timelockId, 'timelockId');
      return findRecord(recordOptions.shard, 'TIMELOCK_NOT_FOUND', async (shard) =>
        readTimelockState(await call(shard, 'shardpay_getTimelock', { timelockId })),
      );
    },

    async getMultisig(address) {
      const shard = await shardOfAddressText(address, 'address');
      return readMultisigState(await call(shard, 'shardpay_getMultisig', { address }));
    },

    async getShardControl(shard) {
      return readShardControlState(await call(shard, 'shardpay_getShardControl', {}));
    },

    async isFrozen(address) {
      const shard = await shardOfAddressText(address, 'address');
      const result = await call(shard, 'shardpay_isFrozen', { address });
      if (
        typeof result !== 'object' ||
        result === null ||
        typeof (result as { frozen?: unknown }).frozen !== 'boolean'
      ) {
        throw new ShardpayError('RPC_ERROR', "the node's result is malformed at 'frozen'", {
          meta: { reason: 'malformed_result', path: 'frozen' },
        });
      }
      return (result as { frozen: boolean }).frozen;
    },

    async submitTransaction(tx) {
      const hex = bytesToHex(encodeTransaction(tx));
      const expected = bytesToHex(transactionId(tx));
      const result = await call(tx.shard, 'shardpay_submitTransaction', { tx: hex });
      const txId = isRecord(result) ? result.txId : undefined;
      if (txId !== expected) {
        throw new ShardpayError('RPC_ERROR', 'the node answered with another transaction id', {
          meta: { reason: 'tx_id_mismatch', expected },
        });
      }
      return { txId: expected };
    },

    async getAccount(address, accountOptions = {}) {
      const config = await network();
      let bytes: Uint8Array;
      try {
        bytes = decodeAddress(address, config.addressPrefix);
      } catch (error) {
        if (isShardpayError(error))
          throw new ShardpayError(error.code, error.message, { meta: { field: 'address' } });
        throw error;
      }
      const shard = shardOfAddress(config, bytes);
      const params = accountOptions.proof === true ? { address, proof: true } : { address };
      const account = readAccountState(await call(shard, 'shardpay_getAccount', params));
      if (account.address !== address.toLowerCase()) {
        throw new ShardpayError('RPC_ERROR', 'the node answered for another address', {
          meta: { reason: 'address_mismatch' },
        });
      }
      return account;
    },

    getTransactionStatus,

    async waitForStatus(txId, wanted, waitOptions = {}) {
      assertHashParam(txId, 'txId');
      if (wanted !== 'final' && wanted !== 'credited') {
        throw new ShardpayError('INVALID_PARAMS', "wait for 'final' or 'credited'", {
          meta: { field: 'wanted' },
        });
      }
      const timeoutMs = waitOptions.timeoutMs ?? defaultWaitTimeoutMs;
      const deadline = Date.now() + timeoutMs;
      let delay = waitOptions.pollIntervalMs ?? 100;
      let last: TransactionStatus | undefined;
      const { signal } = waitOptions;
      const assertNotStopped = () => {
        if (signal?.aborted) {
          throw new ShardpayError('STOPPED', `stopped waiting for transaction ${txId}`, {
            meta: { txId, wanted, status: last?.status ?? null },
          });
        }
      };
      for (;;) {
        assertNotStopped();
        try {
          last = await getTransactionStatus(
            txId,
            waitOptions.shard === undefined ? {} : { shard: waitOptions.shard },
          );
          if (isStatusReached(last, wanted)) return last;
        } catch (error) {
          // A node going away mid-wait is not the transaction's fault: keep polling until the deadline.
          if (!isShardpayError(error, 'NODE_UNREACHABLE')) throw error;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new ShardpayError(
            'NODE_UNREACHABLE',
            `transaction ${txId} did not become ${wanted} within ${timeoutMs} ms (last status: ${last?.status ?? 'none'})`,
            { meta: { reason: 'timeout', txId, wanted, status: last?.status ?? null } },
          );
        }
        await sleep(Math.min(delay, remaining), signal);
        assertNotStopped();
        delay = Math.min(delay * 1.5, maxPollIntervalMs);
      }
    },

    async getBlock(shard, height) {
      const config = await network();
      const json = await call(shard, 'shardpay_getBlock', heightParam(height));
      return json === null
        ? null
        : fromProtocolJson(() => blockFromJson(json, { addressPrefix: config.addressPrefix }), '');
    },

    async getHeader(shard, height) {
      const json = await call(shard, 'shardpay_getHeader', heightParam(height));
      return json === null ? null : fromProtocolJson(() => blockHeaderFromJson(json), '');
    },

    async getReceipt(shard, receiptId) {
      assertHashParam(receiptId, 'receiptId');
      const config = await network();
      const json = await call(shard, 'shardpay_getReceipt', { receiptId });
      return json === null ? null : readReceiptWithProof(json, config.addressPrefix);
    },

    async networkInfo(shard) {
      return readNetworkInfo(await call(shard, 'shardpay_networkInfo'));
    },

    getNetworkConfig,
    call,
  };
}
