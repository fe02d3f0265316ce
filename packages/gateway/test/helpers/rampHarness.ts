import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BankServer, createBankServer, resolveBankConfig } from '@shardpay/bank';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { waitFor } from '@shardpay/node/testing';
import { encodeTransaction, formatAmount, parseAmount } from '@shardpay/protocol';
import { buildBurn, createAccountFromPrivateKey } from '@shardpay/sdk';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../../src/buildGatewayApp.ts';
import { readAccount } from '../../src/chain/readAccount.ts';
import { type GatewayConfig, resolveGatewayConfig } from '../../src/config.ts';
import type { CrashHook, CrashStep } from '../../src/ramp/crashPoints.ts';
import { createRampRuntime, type RampRuntime } from '../../src/ramp/createRampRuntime.ts';
import type { RampSettings } from '../../src/ramp/RampServices.ts';
import { type LocalChain, startLocalChain } from './localChain.ts';
import {
  createLogCapture,
  createMigratedPglite,
  registerWallet,
  signUpAndLogIn,
  testKey,
} from './testGateway.ts';

/** Seeded randomness for retry jitter, so a failing run replays. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** One gateway "process": the app and its ramp worker on the shared database. */
export interface RampGateway {
  app: FastifyInstance;
  runtime: RampRuntime;
  logs: ReturnType<typeof createLogCapture>;
  /** Set once a simulated crash happened. */
  crashed(): boolean;
  close(): Promise<void>;
}

/** A real local chain, the real bank sandbox in process, and one database gateways come and go on. */
export interface RampHarness {
  chain: LocalChain;
  bank: BankServer;
  bankApiKey: string;
  database: Database;
  config: GatewayConfig;
  /** A gateway; with `crashAt`, its worker (or the request) stops dead at that step, as if killed. */
  startGateway(options?: { crashAt?: CrashStep; settings?: Partial<RampSettings> }): Promise<RampGateway>;
  stop(): Promise<void>;
}

export async function startRampHarness(seed = 1): Promise<RampHarness> {
  const chain = await startLocalChain(2, 1);
  const bankApiKey = 'test-bank-api-key-0123456789abcdef0123456789';
  const bank = await createBankServer(
    resolveBankConfig({
      apiKey: bankApiKey,
      port: 0,
      payoutDelayMs: 150,
      logLevel: 'silent',
      // The reserve backs the genesis allocations from the start, as a devnet's bank does.
      openingDepositCents:
        chain.genesis.config.initialBalances.reduce((sum, entry) => sum + entry.amount, 0n) / 10_000n,
    }),
  );
  const keysDir = mkdtempSync(join(tmpdir(), 'shardpay-ramp-keys-'));
  const issuerKeyFile = join(keysDir, 'issuer.json');
  writeFileSync(issuerKeyFile, JSON.stringify({ privateKey: bytesToHex(chain.genesis.issuer.privateKey) }), {
    mode: 0o600,
  });
  const database = await createMigratedPglite();
  const config = resolveGatewayConfig({
    passwordScryptN: 2 ** 10,
    rateLimit: false,
    logLevel: 'info',
    bankUrl: bank.url,
    bankApiKey,
    issuerKeyFile,
  });
  const gateways: RampGateway[] = [];
  let gatewayCount = 0;
  return {
    chain,
    bank,
    bankApiKey,
    database,
    config,
    async startGateway(options = {}) {
      gatewayCount += 1;
      let crashed = false;
      let runtime: RampRuntime | undefined;
      const crash: CrashHook = (step) => {
        if (step !== options.crashAt || crashed) return;
        crashed = true;
        // A killed process does nothing more: its worker stops where it stands, its lease runs out.
        runtime?.worker.halt();
        throw new Error(`simulated crash at ${step}`);
      };
      runtime = await createRampRuntime(config, {
        database,
        chain: chain.client,
        network: chain.network,
        now: () => new Date(),
        settings: {
          pollIntervalMs: 100,
          leaseMs: 1500,
          mintExpiryBlocks: 60,
          retryBaseMs: 100,
          retryMaxMs: 800,
          reconcileIntervalMs: 0,
          ...options.settings,
        },
        crash,
        random: seededRandom(seed * 1000 + gatewayCount),
      });
      const logs = createLogCapture();
      const ramp = runtime;
      const app = buildGatewayApp(config, {
        database,
        logStream: logs,
        chain: { client: chain.client, network: chain.network },
        ramp: { services: ramp.services, wake: () => ramp.worker.wake() },
      });
      await app.ready();
      ramp.start(app.log, app.metricsRegistry);
      const gateway: RampGateway = {
        app,
        runtime: ramp,
        logs,
        crashed: () => crashed,
        async close() {
          if (!crashed) await ramp.stop();
          await app.close();
        },
      };
      gateways.push(gateway);
      return gateway;
    },
    async stop() {
      for (const gateway of gateways) await gateway.close().catch(() => undefined);
      await database.close();
      await bank.close();
      await chain.stop();
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

let userCounter = 0;

/** A signed-up user with one registered wallet (its key derived from `label`). */
export async function createRampUser(app: FastifyInstance, label: string) {
  userCounter += 1;
  const { auth } = await signUpAndLogIn(app);
  const key = testKey(`ramp/${label}/${process.pid}/${userCounter}`);
  const walletId = await registerWallet(app, auth, key);
  return { auth, key, walletId, address: key.address };
}

export const goodCard = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };

/** POST /v1/purchases with a fresh (or given) Idempotency-Key. */
export function buy(
  app: FastifyInstance,
  user: Awaited<ReturnType<typeof createRampUser>>,
  amount: string,
  card: Record<string, unknown> = goodCard,
  key = `buy-${Math.random().toString(36).slice(2)}`,
) {
  return app.inject({
    method: 'POST',
    url: '/v1/purchases',
    headers: { ...user.auth, 'idempotency-key': key },
    payload: { wallet: user.walletId, amount, card },
  });
}

/** Waits until GET `url` answers a body whose status is one of `statuses`; returns that body. */
export async function waitForStatus(
  app: FastifyInstance,
  auth: { authorization: string },
  url: string,
  statuses: string[],
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await waitFor(
    `${url} to be ${statuses.join('|')} (last: ${JSON.stringify(body.status)})`,
    timeoutMs,
    async () => {
      const response = await app.inject({ method: 'GET', url, headers: auth });
      body = response.json() as Record<string, unknown>;
      return statuses.includes(String(body.status));
    },
  );
  return body;
}

/** The on-chain balance of `address` (minor units). */
export async function balanceOf(harness: RampHarness, address: string): Promise<bigint> {
  const account = await readAccount(harness.chain.client, harness.chain.network, address);
  return parseAmount(account.balance, { allowZero: true });
}

/** Supply (genesis included) and the bank's available reserve, from GET /v1/reserves. */
export async function readReservesApi(app: FastifyInstance) {
  const response = await app.inject({ method: 'GET', url: '/v1/reserves' });
  if (response.statusCode !== 200) throw new Error(`GET /v1/reserves: ${response.body}`);
  const body = response.json() as { supply: string; reserve: string; matches: boolean; difference: string };
  return {
    ...body,
    supplyMinor: parseAmount(body.supply, { allowZero: true }),
    reserveMinor: parseAmount(body.reserve, { allowZero: true }),
  };
}

/** Starts a cash-out and sends a burn for it signed by the user's key; the cash-out after the burn. */
export async function cashOut(
  harness: RampHarness,
  app: FastifyInstance,
  user: Awaited<ReturnType<typeof createRampUser>>,
  amount: string,
  accountNumber: string,
) {
  const created = await app.inject({
    method: 'POST',
    url: '/v1/cashouts',
    headers: { ...user.auth, 'idempotency-key': `co-${Math.random().toString(36).slice(2)}` },
    payload: {
      wallet: user.walletId,
      amount,
      bank_account: { routing_number: '110000000', account_number: accountNumber },
    },
  });
  if (created.statusCode !== 201) throw new Error(`POST /v1/cashouts: ${created.body}`);
  const cashout = created.json() as { id: string; payout_reference: string };
  const account = createAccountFromPrivateKey(user.key.privateKey, harness.chain.network);
  const state = await readAccount(harness.chain.client, harness.chain.network, account.address);
  const burn = buildBurn({
    from: account,
    amount: parseAmount(amount),
    payoutReference: cashout.payout_reference,
    nonce: BigInt(state.pendingNonce),
    expiryHeight: BigInt(state.height) + 100n,
  });
  const burned = await app.inject({
    method: 'POST',
    url: `/v1/cashouts/${cashout.id}/burn`,
    headers: { ...user.auth, 'idempotency-key': `burn-${cashout.id}` },
    payload: { transaction: bytesToHex(encodeTransaction(burn)) },
  });
  if (burned.statusCode !== 200) throw new Error(`POST /v1/cashouts/:id/burn: ${burned.body}`);
  return burned.json() as Record<string, unknown> & { id: string };
}

/** Every object of a bank list endpoint (payouts, payment intents) whose metadata[`field`] is `value`. */
export async function bankObjectsFor(harness: RampHarness, path: string, field: string, value: string) {
  const found: Array<Record<string, unknown>> = [];
  let startingAfter: string | undefined;
  for (;;) {
    const response = await harness.bank.app.inject({
      method: 'GET',
      url: `${path}?limit=100${startingAfter === undefined ? '' : `&starting_after=${startingAfter}`}`,
      headers: { authorization: `Bearer ${harness.bankApiKey}` },
    });
    const page = response.json() as {
      data: Array<Record<string, unknown> & { id: string; metadata: Record<string, string> }>;
      has_more: boolean;
    };
    found.push(...page.data.filter((item) => item.metadata?.[field] === value));
    if (!page.has_more || page.data.length === 0) return found;
    startingAfter = page.data[page.data.length - 1]!.id;
  }
}

export { encodeAddress, formatAmount };
