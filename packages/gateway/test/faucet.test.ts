import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  encodeAddress,
  generatePrivateKey,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { waitFor } from '@shardpay/node/testing';
import { shardOfAddress } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { type GatewayConfig, loadGatewayConfig, resolveGatewayConfig } from '../src/config.ts';
import { type LocalChain, startLocalChain } from './helpers/localChain.ts';
import { createLogCapture, createMigratedPglite, errorOf } from './helpers/testGateway.ts';

/** POST /v1/faucet against a real 2-shard chain. */
describe('the devnet faucet', { timeout: 90_000 }, () => {
  let chain: LocalChain;
  let database: Database;
  let app: FastifyInstance;
  let keyCounter = 0;

  function gateway(overrides: Partial<GatewayConfig>) {
    return buildGatewayApp(resolveGatewayConfig({ rateLimit: false, ...overrides }), {
      database,
      logStream: createLogCapture(),
      chain: { client: chain.client, network: chain.network },
    });
  }

  before(async () => {
    chain = await startLocalChain(2, 1);
    database = await createMigratedPglite();
    app = gateway({ mode: 'devnet', faucetKeysDir: chain.faucetKeysDir });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
    await chain?.stop();
  });

  function addressOn(shard: number): string {
    for (;;) {
      const address = addressFromPublicKey(publicKeyFromPrivateKey(generatePrivateKey()));
      if (shardOfAddress(chain.network, address) === shard) return encodeAddress(address, 'spd');
    }
  }

  function requestFaucet(target: FastifyInstance, payload: unknown, key?: string) {
    keyCounter += 1;
    return target.inject({
      method: 'POST',
      url: '/v1/faucet',
      headers: { 'idempotency-key': key ?? `faucet-test-${process.pid}-${keyCounter}` },
      payload: payload as Record<string, unknown>,
    });
  }

  async function balanceOf(address: string): Promise<string> {
    return (await app.inject({ method: 'GET', url: `/v1/accounts/${address}` })).json().balance;
  }

  it("sends money from the faucet of the address's home shard, and it reaches the balance", async () => {
    for (const shard of [0, 1]) {
      const to = addressOn(shard);
      const response = await requestFaucet(app, { address: to, amount: '12.5' });
      assert.equal(response.statusCode, 201, response.body);
      const body = response.json();
      assert.deepEqual(
        { ...body, tx_id: undefined },
        {
          object: 'faucet_transfer',
          tx_id: undefined,
          shard,
          to,
          amount: '12.500000',
          currency: 'usd',
          status: 'pending',
        },
      );
      assert.match(body.tx_id, /^[0-9a-f]{64}$/);
      await waitFor(
        `the faucet transfer on shard ${shard} credited`,
        30_000,
        async () => (await balanceOf(to)) === '12.500000',
      );
      const status = (await app.inject({ method: 'GET', url: `/v1/transactions/${body.tx_id}` })).json();
      assert.equal(status.status, 'final');
      assert.equal(status.target_shard, null, 'a faucet transfer stays inside its shard');
    }
  });

  it('lands 5 concurrent requests to one shard, each with its own nonce', async () => {
    const receivers = Array.from({ length: 5 }, () => addressOn(1));
    const responses = await Promise.all(
      receivers.map((address, index) => requestFaucet(app, { address, amount: `${index + 1}.000001` })),
    );
    for (const response of responses) assert.equal(response.statusCode, 201, response.body);
    assert.equal(new Set(responses.map((response) => response.json().tx_id)).size, 5);
    await waitFor('every concurrent faucet transfer credited', 30_000, async () => {
      const balances = await Promise.all(receivers.map(balanceOf));
      return balances.every((balance, index) => balance === `${index + 1}.000001`);
    });
  });

  it('answers a retry with the same Idempotency-Key without sending twice', async () => {
    const to = addressOn(0);
    const first = await requestFaucet(app, { address: to, amount: '1' }, `retry-${process.pid}`);
    const again = await requestFaucet(app, { address: to, amount: '1' }, `retry-${process.pid}`);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().tx_id, first.json().tx_id);
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/faucet',
      payload: { address: to, amount: '1' },
    });
    assert.equal(missing.statusCode, 400);
    assert.equal(errorOf(missing).code, 'idempotency_key_required');
  });

  it('refuses bad amounts and addresses, naming the parameter', async () => {
    const to = addressOn(0);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ address: to, amount: '0' }, 'amount', 'parameter_invalid'],
      [{ address: to, amount: '-1' }, 'amount', 'parameter_invalid'],
      [{ address: to, amount: '1e5' }, 'amount', 'parameter_invalid'],
      [{ address: to, amount: '0.0000001' }, 'amount', 'parameter_invalid'],
      [{ address: to, amount: '10000.000001' }, 'amount', 'parameter_invalid'],
      [{ address: to, amount: '99999999999999999999' }, 'amount', 'parameter_invalid'],
      [{ address: to, amount: 5 }, 'amount', 'parameter_invalid'],
      [{ address: 'spd1nope', amount: '1' }, 'address', 'address_invalid'],
      [{ address: to.replace(/^spd/, 'sp'), amount: '1' }, 'address', 'address_invalid'],
      [{ address: to }, 'amount', 'parameter_missing'],
      [{ address: to, amount: '1', memo: 'x' }, 'memo', 'parameter_unknown'],
    ];
    for (const [payload, param, code] of cases) {
      const response = await requestFaucet(app, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(
        [errorOf(response).param, errorOf(response).code],
        [param, code],
        JSON.stringify(payload),
      );
    }
    const atMost = await requestFaucet(app, { address: to, amount: '10000' });
    assert.equal(atMost.statusCode, 201, atMost.body);
  });

  it('is refused outside a devnet or without a keys folder, and a bad keys folder stops start-up', async () => {
    const to = addressOn(0);
    for (const mode of ['production', 'test'] as const) {
      const other = gateway({
        mode,
        faucetKeysDir: chain.faucetKeysDir,
        ...(mode === 'production' ? { jwtSecret: new Uint8Array(32).fill(7) } : {}),
      });
      const response = await requestFaucet(other, { address: to, amount: '1' });
      assert.equal(response.statusCode, 404, mode);
      assert.equal(errorOf(response).code, 'route_not_found');
      await other.close();
    }
    const noKeys = gateway({ mode: 'devnet' });
    const refused = await requestFaucet(noKeys, { address: to, amount: '1' });
    assert.equal(refused.statusCode, 403);
    assert.equal(errorOf(refused).code, 'faucet_disabled');
    await noKeys.close();

    const badDir = mkdtempSync(join(tmpdir(), 'shardpay-bad-faucet-'));
    try {
      // A malformed key whose text cannot occur in a temp folder's name: the message must not echo it.
      writeFileSync(join(badDir, 'faucet-0.json'), '{"privateKey": "SECRET-NOT-HEX"}');
      const broken = gateway({ mode: 'devnet', faucetKeysDir: badDir });
      await assert.rejects(
        async () => {
          await broken.ready();
        },
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'CONFIG_INVALID');
          assert.doesNotMatch(error.message, /SECRET-NOT-HEX/);
          return true;
        },
      );
    } finally {
      rmSync(badDir, { recursive: true, force: true });
    }
    assert.equal(
      loadGatewayConfig({ SHARDPAY_MODE: 'devnet', SHARDPAY_FAUCET_KEYS_DIR: '/k' }).faucetKeysDir,
      '/k',
    );
  });
});
