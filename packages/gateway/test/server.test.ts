import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { loadMigrations } from '@shardpay/database';
import { loadGatewayConfig, resolveGatewayConfig } from '../src/config.ts';
import { createGatewayServer } from '../src/createGatewayServer.ts';
import { gatewayMigrationsDirectory } from '../src/db/migrationsDirectory.ts';
import { createLogCapture } from './helpers/testGateway.ts';

describe('gateway config', () => {
  it('refuses to start in production without a JWT secret, or with a short one', () => {
    assert.throws(
      () => loadGatewayConfig({ SHARDPAY_MODE: 'production' }),
      (error) => isShardpayError(error, 'CONFIG_INVALID') && error.meta.variable === 'SHARDPAY_JWT_SECRET',
    );
    assert.throws(
      () => loadGatewayConfig({ SHARDPAY_JWT_SECRET: 'short' }),
      (error) => isShardpayError(error, 'CONFIG_INVALID'),
    );
    const config = loadGatewayConfig({
      SHARDPAY_JWT_SECRET: 'x'.repeat(40),
      PORT: '9123',
      DATABASE_URL: 'postgres://db/x',
    });
    assert.equal(config.mode, 'production');
    assert.equal(config.port, 9123);
    assert.equal(config.databaseUrl, 'postgres://db/x');
  });

  it('gives devnet/test a random secret per process, never a constant', () => {
    const a = loadGatewayConfig({ SHARDPAY_MODE: 'devnet' });
    const b = loadGatewayConfig({ SHARDPAY_MODE: 'devnet' });
    assert.equal(a.jwtSecret.length, 32);
    assert.notDeepEqual(a.jwtSecret, b.jwtSecret);
  });

  it('reads the chain nodes of every shard, and refuses a malformed list', () => {
    const config = loadGatewayConfig({
      SHARDPAY_MODE: 'test',
      SHARDPAY_CHAIN_NODES:
        '{"0":["http://127.0.0.1:8090","http://127.0.0.1:8091"],"1":["http://127.0.0.1:8094"]}',
    });
    assert.deepEqual(config.chainNodes, {
      0: ['http://127.0.0.1:8090', 'http://127.0.0.1:8091'],
      1: ['http://127.0.0.1:8094'],
    });
    for (const bad of ['[]', '{"0":[]}', '{"x":["http://a"]}', '{"0":["ftp://a"]}', 'not json', '{}']) {
      assert.throws(
        () => loadGatewayConfig({ SHARDPAY_MODE: 'test', SHARDPAY_CHAIN_NODES: bad }),
        (error) => isShardpayError(error, 'CONFIG_INVALID') && error.meta.variable === 'SHARDPAY_CHAIN_NODES',
        bad,
      );
    }
  });

  it('refuses malformed variables with the variable named', () => {
    assert.throws(
      () => loadGatewayConfig({ SHARDPAY_MODE: 'test', PORT: 'eighty' }),
      (error) => isShardpayError(error, 'CONFIG_INVALID') && error.meta.variable === 'PORT',
    );
    assert.throws(
      () => loadGatewayConfig({ SHARDPAY_MODE: 'staging' }),
      (error) => isShardpayError(error, 'CONFIG_INVALID'),
    );
  });
});

describe('createGatewayServer', () => {
  it('listens, keeps users across a restart on the same data dir, and shuts down gracefully', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gateway-server-'));
    const config = resolveGatewayConfig({ port: 0, dataDir, passwordScryptN: 2 ** 10, rateLimit: false });
    const logStream = createLogCapture();
    try {
      const first = await createGatewayServer(config, { logStream });
      const email = 'restart@example.com';
      const password = 'survives a restart';
      const signUp = await fetch(`${first.url}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      assert.equal(signUp.status, 201);
      assert.match(signUp.headers.get('request-id') ?? '', /^req_/);
      await first.close();
      await assert.rejects(fetch(`${first.url}/health`));

      const second = await createGatewayServer(config, { logStream });
      try {
        const login = await fetch(`${second.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        assert.equal(login.status, 201);
        const versions = await second.database.query<{ version: number }>(
          'SELECT version FROM schema_migrations',
        );
        assert.equal(
          versions.rowCount,
          (await loadMigrations(gatewayMigrationsDirectory)).length,
          'each migration recorded once',
        );
      } finally {
        await second.close();
      }
      assert.ok(!logStream.text().includes(password));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('lets a request in flight finish before closing', async () => {
    const config = resolveGatewayConfig({ port: 0, rateLimit: false });
    const released = Promise.withResolvers<void>();
    const started = Promise.withResolvers<void>();
    const server = await createGatewayServer(config, {
      logStream: createLogCapture(),
      extendApp: (app) =>
        app.get('/test/slow', async () => {
          started.resolve();
          await released.promise;
          return { finished: true };
        }),
    });
    const inFlight = fetch(`${server.url}/test/slow`);
    await started.promise;
    const closing = server.close();
    released.resolve();
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { finished: true });
    await closing;
    await assert.rejects(fetch(`${server.url}/health`));
  });
});
