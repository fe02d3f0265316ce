import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database made for one test run on a PostgreSQL server, and how to drop it. */
export interface ScratchPostgres {
  /** The server URL with the new database's name in place of the original's. */
  url: string;
  /** Drops the database (ending any connection still open to it). */
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the server of `serverUrl` (e.g. SHARDPAY_TEST_DATABASE_URL), so that a
 * suite starts from nothing: no cursors, users or keys of another run or another chain.
 */
export async function createScratchPostgres(serverUrl: string): Promise<ScratchPostgres> {
  const name = `shardpay_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
