import { createPgliteDatabase, type Database, runMigrations } from '@shardpay/database';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildBankApp } from '../../src/buildBankApp.ts';
import { resolveBankConfig } from '../../src/config.ts';
import { bankMigrationsDirectory } from '../../src/db/migrationsDirectory.ts';

export const TEST_API_KEY = 'test-api-key-0123456789abcdef0123456789';

/** A card that is valid on the test clock (2026-06-15): any future expiry, any 3-digit CVC. */
export function testCard(number: string, overrides: Record<string, unknown> = {}) {
  return { number, exp_month: 12, exp_year: 2030, cvc: '123', ...overrides };
}

export interface TestBank {
  app: FastifyInstance;
  database: Database;
  /** The injected clock; move it with `advance`. */
  now: () => Date;
  advance(ms: number): void;
  /** A POST with the API key and an Idempotency-Key (a fresh one unless given). */
  post(url: string, payload?: unknown, key?: string): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  /**
   * Makes the next database transaction wait until `release()`: `entered` resolves once one is
   * waiting, so a test can send a duplicate while the first request is provably still running.
   */
  holdNextTransaction(): { entered: Promise<void>; release(): void };
  /** Creates a captured payment of `amount`, crediting the reserve. */
  fundReserve(amount: string): Promise<string>;
  close(): Promise<void>;
}

let keyCounter = 0;

/** The bank app over an in-memory PGlite, on a fixed clock, for `app.inject()` tests. */
export async function createTestBank(options: { payoutDelayMs?: number } = {}): Promise<TestBank> {
  const database = await createPgliteDatabase();
  await runMigrations(database, bankMigrationsDirectory);
  let hold: { enter: () => void; released: Promise<void> } | undefined;
  const heldDatabase: Database = {
    kind: database.kind,
    query: (sql, params) => database.query(sql, params),
    exec: (sql) => database.exec(sql),
    close: () => database.close(),
    async transaction(work) {
      const current = hold;
      hold = undefined;
      if (current !== undefined) {
        current.enter();
        await current.released;
      }
      return database.transaction(work);
    },
  };
  let current = new Date('2026-06-15T12:00:00Z').getTime();
  const now = () => new Date(current);
  const config = resolveBankConfig({
    apiKey: TEST_API_KEY,
    logLevel: 'silent',
    payoutDelayMs: options.payoutDelayMs ?? 1000,
  });
  const app = buildBankApp(config, { database: heldDatabase, now });
  const authorization = `Bearer ${TEST_API_KEY}`;
  const post = (url: string, payload?: unknown, key = `key-${++keyCounter}`) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization, 'idempotency-key': key },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization } });
  return {
    app,
    database,
    now,
    advance(ms) {
      current += ms;
    },
    post,
    get,
    holdNextTransaction() {
      const entered = Promise.withResolvers<void>();
      const released = Promise.withResolvers<void>();
      hold = { enter: entered.resolve, released: released.promise };
      return { entered: entered.promise, release: released.resolve };
    },
    async fundReserve(amount) {
      const response = await post('/v1/payment_intents', {
        amount,
        currency: 'usd',
        card: testCard('4242424242424242'),
        capture_method: 'automatic',
      });
      if (response.statusCode !== 200) throw new Error(`funding failed: ${response.body}`);
      return response.json().id as string;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The reserve balance and the sum of its ledger, both in cents, to check they agree. */
export async function reserveAndLedger(bank: TestBank): Promise<{ available: string; ledgerSum: string }> {
  const reserve = (await bank.get('/v1/reserve')).json();
  const rows = await bank.database.query<{ total: bigint }>(
    'SELECT coalesce(sum(amount), 0)::bigint AS total FROM reserve_transactions',
  );
  const total = BigInt(rows.rows[0]!.total);
  return {
    available: reserve.available,
    ledgerSum: `${total / 100n}.${(total % 100n).toString().padStart(2, '0')}`,
  };
}
