import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './Database.ts';
import { discardTemplate, emptyClusterTemplate, isNewDataDir } from './pgliteTemplate.ts';

export interface CreatePgliteDatabaseOptions {
  /** A folder to keep the data in; in memory when absent (tests). */
  dataDir?: string | undefined;
}

// PGlite reports affectedRows 0 for a SELECT; pg's rowCount counts the rows returned. Match pg.
function toResult<Row>(result: { rows: Row[]; affectedRows?: number }): QueryResult<Row> {
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

/**
 * Embedded PostgreSQL (PGlite, WASM): the default database of a devnet, of the bank and of tests. It
 * runs one statement at a time, so transactions are serialized: a check made inside one (an intent's
 * status, a reserve balance) still holds when it commits.
 */
export async function createPgliteDatabase(options: CreatePgliteDatabaseOptions = {}): Promise<Database> {
  const pglite = await openPglite(options.dataDir);
  let closed = false;
  return {
    kind: 'pglite',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      return toResult(await pglite.query<Row>(sql, [...params]));
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction(async (tx) =>
        work({
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            return toResult(await tx.query<Row>(sql, [...params]));
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
}

/** Opens the cluster in `dataDir` (or memory); a new one starts from the empty-cluster template. */
async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  const plain = () => (dataDir === undefined ? PGlite.create() : PGlite.create(dataDir));
  if (!isNewDataDir(dataDir)) return plain();
  const template = await emptyClusterTemplate();
  if (template === undefined) return plain();
  try {
    return dataDir === undefined
      ? await PGlite.create({ loadDataDir: template })
      : await PGlite.create(dataDir, { loadDataDir: template });
  } catch {
    // A template this PGlite cannot load (damaged in the temp folder): initdb as usual.
    await discardTemplate();
    return plain();
  }
}
