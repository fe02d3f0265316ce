import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPgliteDatabase, type Database, runMigrations } from '@shardpay/database';
import { loadBankConfig } from '../src/config.ts';
import { bankMigrationsDirectory } from '../src/db/migrationsDirectory.ts';
import { reserveBalance } from '../src/reserve/appendReserveTransaction.ts';
import { makeOpeningDeposit } from '../src/reserve/makeOpeningDeposit.ts';
import { TEST_API_KEY } from './helpers/testBank.ts';

describe('the opening deposit', () => {
  let database: Database;
  before(async () => {
    database = await createPgliteDatabase();
    await runMigrations(database, bankMigrationsDirectory);
  });
  after(() => database.close());

  it('is made once in the life of the database, whatever later starts ask for', async () => {
    const at = new Date('2026-06-15T12:00:00Z');
    assert.equal(await makeOpeningDeposit(database, 0n, at), false, 'zero: no deposit');
    assert.equal(await makeOpeningDeposit(database, 200_000_000n, at), true);
    assert.equal(await makeOpeningDeposit(database, 200_000_000n, at), false, 'a restart adds nothing');
    assert.equal(await makeOpeningDeposit(database, 5_00n, at), false, 'another amount later is ignored');
    assert.equal(await database.transaction((tx) => reserveBalance(tx)), 200_000_000n);
    const rows = await database.query<{ type: string }>('SELECT type FROM reserve_transactions');
    assert.deepEqual(
      rows.rows.map((row) => row.type),
      ['opening_deposit'],
    );
    await assert.rejects(
      database.query(
        `INSERT INTO reserve_transactions (id, type, amount, balance_after, source, created_at)
         VALUES ('txn_x', 'opening_deposit', 1, 200000001, 'opening', now())`,
      ),
      /unique|duplicate/i,
      'the schema itself allows one opening deposit',
    );
  });

  it('is read from SHARDPAY_BANK_OPENING_DEPOSIT in dollars, and refused when malformed', () => {
    const env = { SHARDPAY_BANK_API_KEY: TEST_API_KEY };
    assert.equal(loadBankConfig(env).openingDepositCents, 0n);
    assert.equal(
      loadBankConfig({ ...env, SHARDPAY_BANK_OPENING_DEPOSIT: '2000000' }).openingDepositCents,
      200_000_000n,
    );
    for (const bad of ['-1', '0', '1.001', 'lots']) {
      assert.throws(() => loadBankConfig({ ...env, SHARDPAY_BANK_OPENING_DEPOSIT: bad }), {
        code: 'CONFIG_INVALID',
      });
    }
  });
});
