import { randomBytes } from 'node:crypto';
import { percentile } from '@shardpay/node/bench';
import pg from 'pg';
import { createPeerWorkload, driveClosedLoop, type PeerResult } from './peerWorkload.ts';

export interface PostgresPeerOptions {
  /** A server URL (SHARDPAY_BENCH_DATABASE_URL or DATABASE_URL); a scratch database is made on it. */
  serverUrl: string;
  durationSec: number;
  clients: number;
  senders: number;
  recipients: number;
}

const SENDER_BALANCE = 1_000_000_000_000n;

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * What a centralized processor would run: a double-entry ledger in PostgreSQL. One database
 * transaction per transfer locks both account rows (`SELECT … FOR UPDATE`, in id order so that two
 * transfers never deadlock), checks the balance, debits, credits and appends a journal row;
 * `clients` connections do this concurrently. Runs in a scratch database that it drops afterwards.
 * The server's settings are its own (durable commits unless the server says otherwise).
 */
export async function runPostgresPeer(options: PostgresPeerOptions): Promise<PeerResult> {
  const name = `shardpay_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin(options.serverUrl, `CREATE DATABASE ${name}`);
  } catch (error) {
    return { ran: false, reason: `cannot create a scratch database: ${String(error)}` };
  }
  const url = new URL(options.serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: options.clients + 1 });
  try {
    const recipientBase = options.senders;
    await pool.query(`
      CREATE TABLE accounts (id bigint PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
      CREATE TABLE journal (
        id bigserial PRIMARY KEY, debit bigint NOT NULL, credit bigint NOT NULL,
        amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`);
    await pool.query(
      `INSERT INTO accounts (id, balance)
         SELECT g, CASE WHEN g < $1 THEN $2::bigint ELSE 0 END FROM generate_series(0, $3 - 1) AS g`,
      [options.senders, SENDER_BALANCE.toString(), options.senders + options.recipients],
    );
    const clients = await Promise.all(Array.from({ length: options.clients }, () => pool.connect()));
    const workload = createPeerWorkload(options.senders, options.recipients, 7);
    try {
      const run = await driveClosedLoop(options.clients, options.durationSec, async (k) => {
        const client = clients[k]!;
        const { from, to: toIndex, amount } = workload.next();
        const to = recipientBase + toIndex;
        await client.query('BEGIN');
        try {
          const locked = await client.query<{ id: string; balance: string }>(
            'SELECT id, balance FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE',
            [[from, to]],
          );
          const payer = locked.rows.find((row) => Number(row.id) === from);
          if (!payer || BigInt(payer.balance) < amount) throw new Error('insufficient funds');
          await client.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [from, amount]);
          await client.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [to, amount]);
          await client.query('INSERT INTO journal (debit, credit, amount) VALUES ($1, $2, $3)', [
            from,
            to,
            amount,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      });
      const setting = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      const version = await pool.query<{ server_version: string }>('SHOW server_version');
      return {
        ran: true,
        tps: Math.round(run.tps),
        p50Ms: roundMs(percentile(run.latencies, 0.5)),
        p99Ms: roundMs(percentile(run.latencies, 0.99)),
        transfers: run.transfers,
        clients: options.clients,
        durationSec: Number(run.wallSec.toFixed(2)),
        driverCpuPct: Math.round(run.cpuPct),
        setup: `PostgreSQL ${version.rows[0]?.server_version} on this machine, synchronous_commit=${setting.rows[0]?.synchronous_commit}, ${options.clients} connections, ${options.senders} payers → ${options.recipients} payees`,
      };
    } finally {
      for (const client of clients) client.release();
    }
  } catch (error) {
    return { ran: false, reason: `PostgreSQL run failed: ${String(error)}` };
  } finally {
    await pool.end().catch(() => undefined);
    await admin(options.serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
}

function roundMs(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(1)) : null;
}
