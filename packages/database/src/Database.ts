/** A row set returned by a query. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Anything that runs parameterized SQL ($1, $2…): the database or one open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * A service's storage: PostgreSQL, embedded (PGlite) or a server (pg). One schema and one set of
 * migrations serve both; code above this interface cannot tell them apart. Every money movement runs
 * inside `transaction`, with its idempotency record, so a crash leaves all of it or none.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
