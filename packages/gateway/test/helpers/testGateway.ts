import {
  addressFromPublicKey,
  bytesToHex,
  encodeAddress,
  publicKeyFromPrivateKey,
  sha256,
  signHash,
  utf8ToBytes,
} from '@shardpay/crypto';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  type Database,
  runMigrations,
} from '@shardpay/database';
import { walletChallengeSigningHash } from '@shardpay/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildGatewayApp } from '../../src/buildGatewayApp.ts';
import { type GatewayConfig, resolveGatewayConfig } from '../../src/config.ts';
import { gatewayMigrationsDirectory } from '../../src/db/migrationsDirectory.ts';
import { createScratchPostgres } from './scratchPostgres.ts';

/** A clock tests move by hand. */
export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

export function createTestClock(start = Date.parse('2026-01-01T00:00:00Z')): TestClock {
  let current = start;
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Collects log lines so tests can assert what was (not) logged. */
export function createLogCapture(): { write(line: string): void; text(): string } {
  const lines: string[] = [];
  return { write: (line) => void lines.push(line), text: () => lines.join('') };
}

/** An in-memory PGlite, migrated. */
export async function createMigratedPglite(): Promise<Database> {
  const database = await createPgliteDatabase();
  await runMigrations(database, gatewayMigrationsDirectory);
  return database;
}

/** A database a suite runs against: PGlite always, PostgreSQL when SHARDPAY_TEST_DATABASE_URL is set. */
export interface TestDatabaseTarget {
  name: string;
  open: () => Promise<Database>;
  /** false, or why the suite is skipped. */
  skip: string | false;
}

/** PGlite (in memory) and PostgreSQL (skipped, saying why, unless SHARDPAY_TEST_DATABASE_URL is set). */
export function testDatabaseTargets(): TestDatabaseTarget[] {
  const url = process.env.SHARDPAY_TEST_DATABASE_URL;
  return [
    { name: 'PGlite', open: createMigratedPglite, skip: false },
    {
      name: 'PostgreSQL',
      open: async () => {
        // A database of its own per open: suites share the server, never each other's rows.
        const scratch = await createScratchPostgres(url ?? '');
        const database = await createPostgresDatabase({ connectionString: scratch.url });
        await runMigrations(database, gatewayMigrationsDirectory);
        const close = database.close.bind(database);
        database.close = async () => {
          await close();
          await scratch.drop();
        };
        return database;
      },
      skip:
        url === undefined || url === ''
          ? 'SHARDPAY_TEST_DATABASE_URL is unset: set it to a postgres:// URL to run this suite against PostgreSQL'
          : false,
    },
  ];
}

export interface TestGateway {
  app: FastifyInstance;
  config: GatewayConfig;
  clock: TestClock;
  logs: ReturnType<typeof createLogCapture>;
}

/** A gateway app on `database` with a test clock, cheap password hashing and no rate limit. */
export function createTestGateway(database: Database, overrides: Partial<GatewayConfig> = {}): TestGateway {
  const config = resolveGatewayConfig({
    passwordScryptN: 2 ** 10,
    rateLimit: false,
    logLevel: 'info',
    ...overrides,
  });
  const clock = createTestClock();
  const logs = createLogCapture();
  const app = buildGatewayApp(config, { database, now: clock.now, logStream: logs });
  return { app, config, clock, logs };
}

let emailCounter = 0;

/** A unique email per call within a process. */
export function uniqueEmail(): string {
  emailCounter += 1;
  return `user${emailCounter}-${process.pid}@example.com`;
}

/** Signs up and logs in a new user; returns the session object (access and refresh tokens). */
export async function signUpAndLogIn(app: FastifyInstance, password = 'correct horse battery') {
  const email = uniqueEmail();
  const signUp = await app.inject({ method: 'POST', url: '/v1/users', payload: { email, password } });
  if (signUp.statusCode !== 201) throw new Error(`sign-up failed: ${signUp.body}`);
  const login = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password } });
  if (login.statusCode !== 201) throw new Error(`login failed: ${login.body}`);
  const session = login.json() as {
    access_token: string;
    refresh_token: string;
    user_id: string;
    id: string;
  };
  return { email, password, session, auth: { authorization: `Bearer ${session.access_token}` } };
}

/** The `error` object of an error response, checking its shape on the way. */
export function errorOf(response: LightMyRequestResponse): {
  type: string;
  code: string;
  message: string;
  param: string | null;
  request_id: string;
} {
  const body = response.json() as { error?: Record<string, unknown> };
  if (body.error === undefined) throw new Error(`not an error response: ${response.body}`);
  const keys = Object.keys(body.error).sort().join(',');
  if (keys !== 'code,message,param,request_id,type') throw new Error(`error has keys ${keys}`);
  return body.error as ReturnType<typeof errorOf>;
}

/** A secp256k1 key pair and its devnet address, derived from a label (deterministic). */
export function testKey(label: string) {
  const privateKey = sha256(utf8ToBytes(`gateway-test-key/${label}`));
  const publicKey = publicKeyFromPrivateKey(privateKey);
  return { privateKey, publicKey, address: encodeAddress(addressFromPublicKey(publicKey), 'spd') };
}

/** Registers `key` as a wallet of the user behind `auth` (challenge, signature, POST); the wallet id. */
export async function registerWallet(
  app: FastifyInstance,
  auth: { authorization: string },
  key: ReturnType<typeof testKey>,
): Promise<string> {
  const challenge = await app.inject({ method: 'POST', url: '/v1/wallet_challenges', headers: auth });
  const { id, message } = challenge.json() as { id: string; message: string };
  const response = await app.inject({
    method: 'POST',
    url: '/v1/wallets',
    headers: auth,
    payload: {
      address: key.address,
      public_key: bytesToHex(key.publicKey),
      challenge_id: id,
      signature: bytesToHex(signHash(walletChallengeSigningHash(message), key.privateKey)),
    },
  });
  if (response.statusCode !== 201) throw new Error(`wallet registration failed: ${response.body}`);
  return (response.json() as { id: string }).id;
}
