import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@shardpay/database';
import { type EventType, lockEventOrder, writeEvent } from '../../src/events/writeEvent.ts';

/** One request the receiver got. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

/** A local HTTP receiver on a port of its own that can go down and come back on the same port. */
export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** The status of the next answer (default 200). */
  answer: (request: ReceivedWebhook) => number;
  /** Stops listening (connections are then refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let server: Server | undefined;
  const receiver: WebhookReceiver = {
    url: '',
    port: 0,
    received: [],
    answer: () => 200,
    async down() {
      const current = server;
      server = undefined;
      if (current === undefined) return;
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    async up() {
      const next = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const received: ReceivedWebhook = {
            headers: request.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            status: 0,
          };
          received.status = receiver.answer(received);
          receiver.received.push(received);
          response.writeHead(received.status, { 'content-type': 'text/plain', connection: 'close' });
          response.end(`answered ${received.status}`);
        });
      });
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen(receiver.port, '127.0.0.1', () => resolve());
      });
      server = next;
      receiver.port = (next.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${receiver.port}/hooks`;
    },
    close: () => receiver.down(),
  };
  await receiver.up();
  return receiver;
}

/** A merchant row with its wallet (and its user unless `existingUserId`), inserted directly. */
export async function insertMerchant(
  database: Database,
  label: string,
  existingUserId?: string,
): Promise<{ id: string; userId: string }> {
  const suffix = randomBytes(16).toString('base64url');
  const userId = existingUserId ?? `usr_${suffix}`;
  const walletId = `wal_${suffix}`;
  const merchantId = `mer_${suffix}`;
  const at = new Date().toISOString();
  const address = `spd1test${randomBytes(12).toString('hex')}`;
  if (existingUserId === undefined) {
    await database.query('INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)', [
      userId,
      `${label}-${suffix}@example.com`,
      'scrypt$unused',
      at,
    ]);
  }
  await database.query(
    'INSERT INTO wallets (id, user_id, address, public_key, created_at) VALUES ($1, $2, $3, $4, $5)',
    [walletId, userId, address, '02'.padEnd(66, '0'), at],
  );
  await database.query(
    'INSERT INTO merchants (id, user_id, name, wallet_id, address, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [merchantId, userId, label, walletId, address, at],
  );
  return { id: merchantId, userId };
}

/** Writes one event of `merchant` (as the merchant helper's code does: under the event-order lock). */
export async function writeMerchantEvent(
  database: Database,
  merchant: { id: string; userId: string },
  options: { type?: EventType; data?: Record<string, unknown>; at?: Date } = {},
): Promise<string> {
  return database.transaction(async (tx) => {
    await lockEventOrder(tx);
    return writeEvent(tx, {
      userId: merchant.userId,
      merchantId: merchant.id,
      type: options.type ?? 'payment.created',
      data: options.data ?? { object: 'payment', id: `pay_${randomBytes(16).toString('base64url')}` },
      at: options.at ?? new Date(),
    });
  });
}

/** A seeded PRNG in [0, 1) (mulberry32): a failing seed replays. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
