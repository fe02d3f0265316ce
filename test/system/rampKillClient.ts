/**
 * What `rampKill.test.ts` sees of a devnet from outside the gateway process: the gateway's HTTP API
 * as a client calls it, the validators' JSON-RPC (balances, nonces, supply) and the bank sandbox's
 * API (intents, payouts, the reserve ledger). Nothing here reads the gateway's database, so every
 * count the test asserts is what the chain and the bank really hold.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { callNodeRpc } from '@shardpay/cli';
import { bytesToHex, signHash } from '@shardpay/crypto';
import {
  encodeTransaction,
  type NetworkConfig,
  parseAmount,
  walletChallengeSigningHash,
} from '@shardpay/protocol';
import { buildCashoutBurn, createAccountFromPrivateKey, type WalletAccount } from '@shardpay/sdk';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  idempotencyKey?: string;
}

/** The gateway's API at `url` (the same across restarts: the devnet's base port). */
export function gatewayApi(url: string) {
  /** One request; rejects when no answer comes (a killed process resets the connection). */
  async function request(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(30_000),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
  }

  /** A request that must answer `status`; its body. */
  async function expect(
    status: number,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const answer = await request(method, path, options);
    assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  return { url, request, expect };
}

export type GatewayApi = ReturnType<typeof gatewayApi>;

/** A signed-up, logged-in user with one registered wallet whose key stays in this process. */
export interface RampUser {
  token: string;
  walletId: string;
  account: WalletAccount;
}

/**
 * A wallet account derived from `label` (seeded: the same run makes the same addresses) whose home
 * shard is `shard`: the n-th candidate key sha256(label/n) that lives there.
 */
export function seededAccount(network: NetworkConfig, label: string, shard: number): WalletAccount {
  for (let n = 0; n < 256; n++) {
    const key = new Uint8Array(createHash('sha256').update(`${label}/${n}`).digest());
    const account = createAccountFromPrivateKey(key, network);
    if (account.shard === shard) return account;
  }
  throw new Error(`no key of ${label} on shard ${shard}`);
}

/** Signs up, logs in and registers `account` (a challenge signed by its key). */
export async function createRampUser(
  api: GatewayApi,
  email: string,
  account: WalletAccount,
): Promise<RampUser> {
  const password = 'correct horse battery staple';
  await api.expect(201, 'POST', '/v1/users', { body: { email, password } });
  const session = await api.expect(201, 'POST', '/v1/sessions', { body: { email, password } });
  const token = session.access_token as string;
  const challenge = await api.expect(201, 'POST', '/v1/wallet_challenges', { token, body: {} });
  const signature = signHash(
    walletChallengeSigningHash(challenge.message as string),
    account.exportPrivateKey(),
  );
  const wallet = await api.expect(201, 'POST', '/v1/wallets', {
    token,
    body: {
      address: account.address,
      public_key: bytesToHex(account.publicKey),
      challenge_id: challenge.id,
      signature: bytesToHex(signature),
    },
  });
  return { token, walletId: wallet.id as string, account };
}

/** The validators of each shard, by JSON-RPC. */
export function chainReader(shards: Array<{ id: number; rpc: string[] }>) {
  const call = (shard: number, method: string, params: unknown) =>
    callNodeRpc(shards[shard]!.rpc[0]!, method, params, { timeoutMs: 5000 });

  /** Σ over shards of minted − burned (genesis included): every coin in existence. */
  async function supply(): Promise<bigint> {
    let total = 0n;
    for (const shard of shards) {
      const answer = (await call(shard.id, 'shardpay_getSupply', {})) as { minted: string; burned: string };
      total +=
        parseAmount(answer.minted, { allowZero: true }) - parseAmount(answer.burned, { allowZero: true });
    }
    return total;
  }

  /** An account, read from a node of its home shard. */
  async function account(
    of: Pick<WalletAccount, 'address' | 'shard'>,
  ): Promise<{ balance: bigint; nonce: bigint; pendingNonce: bigint; height: bigint }> {
    const answer = (await call(of.shard, 'shardpay_getAccount', { address: of.address })) as {
      balance: string;
      nonce: string;
      pendingNonce: string;
      height: string;
    };
    return {
      balance: parseAmount(answer.balance, { allowZero: true }),
      nonce: BigInt(answer.nonce),
      pendingNonce: BigInt(answer.pendingNonce),
      height: BigInt(answer.height),
    };
  }

  async function transactionStatus(shard: number, txId: string): Promise<string> {
    const answer = (await call(shard, 'shardpay_getTransactionStatus', { txId })) as { status: string };
    return answer.status;
  }

  /** The burn a cash-out asks for, signed by its wallet's key at the account's next nonce. */
  async function signedBurn(from: WalletAccount, cashout: { amount: string; payout_reference: string }) {
    const state = await account(from);
    const burn = buildCashoutBurn({
      from,
      cashout,
      nonce: state.pendingNonce,
      expiryHeight: state.height + 600n,
    });
    return bytesToHex(encodeTransaction(burn));
  }

  return { call, supply, account, transactionStatus, signedBurn };
}

export type ChainReader = ReturnType<typeof chainReader>;

/** Fiat with 2 decimals and an optional sign ("-8.00", as the bank's ledger rows) → minor units. */
export function fiatToMinor(text: string): bigint {
  const negative = text.startsWith('-');
  const minor = parseAmount(negative ? text.slice(1) : text, { allowZero: true });
  return negative ? -minor : minor;
}

/** The bank sandbox's API, with the devnet's key. */
export function bankApi(url: string, apiKey: string) {
  async function get(path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 200, `bank GET ${path}: ${JSON.stringify(body)}`);
    return body;
  }

  /** Every object of a list endpoint (newest first), page by page. */
  async function listAll(path: string): Promise<Array<Record<string, unknown>>> {
    const found: Array<Record<string, unknown>> = [];
    let after: string | undefined;
    for (;;) {
      const page = (await get(
        `${path}?limit=100${after === undefined ? '' : `&starting_after=${after}`}`,
      )) as {
        data: Array<Record<string, unknown> & { id: string }>;
        has_more: boolean;
      };
      found.push(...page.data);
      if (!page.has_more || page.data.length === 0) return found;
      after = page.data.at(-1)!.id;
    }
  }

  /** The reserve account's available balance (minor units). */
  async function reserve(): Promise<bigint> {
    return fiatToMinor((await get('/v1/reserve')).available as string);
  }

  /** Objects of `path` whose metadata[`field`] is `value`. */
  async function withMetadata(path: string, field: string, value: string) {
    const all = await listAll(path);
    return all.filter((item) => (item.metadata as Record<string, string> | undefined)?.[field] === value);
  }

  /** The reserve ledger rows moved by `source` (a pi_ or po_ id), oldest first. */
  async function ledgerRowsOf(source: string) {
    const rows = await listAll('/v1/reserve/transactions');
    return rows
      .filter((row) => row.source === source)
      .reverse()
      .map((row) => ({ type: row.type as string, amount: fiatToMinor(row.amount as string) }));
  }

  return { get, listAll, reserve, withMetadata, ledgerRowsOf };
}

export type BankApi = ReturnType<typeof bankApi>;
