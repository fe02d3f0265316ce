/**
 * @shardpay/database: the PostgreSQL plumbing the gateway and the bank share — one `Database`
 * interface over embedded PGlite or a `pg` pool, and numbered SQL migrations applied once under an
 * advisory lock. Layer 2: depends on `@shardpay/crypto` (errors), `@electric-sql/pglite` and `pg`;
 * knows no schema (each service passes its own migrations folder).
 */
export { type CreatePgliteDatabaseOptions, createPgliteDatabase } from './createPgliteDatabase.ts';
export { type CreatePostgresDatabaseOptions, createPostgresDatabase } from './createPostgresDatabase.ts';
export type { Database, Queryable, QueryResult } from './Database.ts';
export { loadMigrations, type Migration, runMigrations } from './runMigrations.ts';
