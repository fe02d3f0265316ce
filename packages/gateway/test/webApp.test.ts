import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { loadGatewayConfig } from '../src/config.ts';
import { createMigratedPglite, createTestGateway, errorOf, type TestGateway } from './helpers/testGateway.ts';

const INDEX_HTML = '<!doctype html><html><body><div id="root"></div>web app index</body></html>';
const ASSET = 'console.log("entry chunk");';
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web app served by the gateway (SHARDPAY_WEB_DIR)', () => {
  let database: Database;
  let webDir: string;
  let gateway: TestGateway;
  let apiOnly: TestGateway;

  before(async () => {
    database = await createMigratedPglite();
    webDir = await mkdtemp(join(tmpdir(), 'shardpay-web-'));
    await mkdir(join(webDir, 'assets'));
    await writeFile(join(webDir, 'index.html'), INDEX_HTML);
    await writeFile(join(webDir, 'assets', 'index-abc123.js'), ASSET);
    gateway = createTestGateway(database, { webDir });
    apiOnly = createTestGateway(database);
  });

  after(async () => {
    await gateway.app.close();
    await apiOnly.app.close();
    await database.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('reads SHARDPAY_WEB_DIR; unset means no web app', () => {
    assert.equal(loadGatewayConfig({ SHARDPAY_MODE: 'test', SHARDPAY_WEB_DIR: '/x/dist' }).webDir, '/x/dist');
    assert.equal(loadGatewayConfig({ SHARDPAY_MODE: 'test' }).webDir, undefined);
  });

  it('serves index.html at / and the built files, hashed assets cached for good', async () => {
    const home = await gateway.app.inject({ method: 'GET', url: '/', headers: html });
    assert.equal(home.statusCode, 200);
    assert.match(home.headers['content-type'] as string, /text\/html/);
    assert.equal(home.body, INDEX_HTML);
    assert.equal(home.headers['cache-control'], 'no-cache');
    const asset = await gateway.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, ASSET);
    assert.match(asset.headers['content-type'] as string, /javascript/);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
  });

  it('serves files built after start-up (a rebuild needs no restart), never dot files or files outside', async () => {
    await writeFile(join(webDir, 'assets', 'later-def456.js'), 'later');
    const later = await gateway.app.inject({ method: 'GET', url: '/assets/later-def456.js' });
    assert.equal(later.statusCode, 200);
    assert.equal(later.body, 'later');
    await mkdir(join(webDir, '.vite'), { recursive: true });
    await writeFile(join(webDir, '.vite', 'manifest.json'), '{}');
    for (const url of [
      '/.vite/manifest.json',
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fetc%2fpasswd',
    ]) {
      const response = await gateway.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.equal(errorOf(response).code, 'route_not_found', url);
    }
  });

  it("answers a browser's GET of an app route with index.html (SPA fallback)", async () => {
    for (const url of ['/wallet', '/wallet/send', '/buy?amount=5', '/checkout/inv_123']) {
      const page = await gateway.app.inject({ method: 'GET', url, headers: html });
      assert.equal(page.statusCode, 200, url);
      assert.equal(page.body, INDEX_HTML, url);
    }
  });

  it('keeps the API untouched: unknown API paths and non-HTML requests get the 404 error object', async () => {
    for (const url of ['/v1/nope', '/v1', '/docs/nope', '/metrics/x', '/health/x']) {
      const response = await gateway.app.inject({ method: 'GET', url, headers: html });
      assert.equal(response.statusCode, 404, url);
      assert.equal(errorOf(response).code, 'route_not_found', url);
    }
    const script = await gateway.app.inject({ method: 'GET', url: '/assets/missing.js' });
    assert.equal(script.statusCode, 404);
    assert.equal(errorOf(script).code, 'route_not_found');
    const post = await gateway.app.inject({ method: 'POST', url: '/wallet', headers: html, payload: {} });
    assert.equal(post.statusCode, 404);
    const health = await gateway.app.inject({ method: 'GET', url: '/health', headers: html });
    assert.deepEqual(health.json(), { status: 'ok' });
    const users = await gateway.app.inject({ method: 'POST', url: '/v1/users', payload: {} });
    assert.equal(users.statusCode, 400);
    assert.equal(errorOf(users).type, 'invalid_request_error');
  });

  it('without a web dir the gateway is API only', async () => {
    const home = await apiOnly.app.inject({ method: 'GET', url: '/', headers: html });
    assert.equal(home.statusCode, 404);
    assert.equal(errorOf(home).code, 'route_not_found');
    const page = await apiOnly.app.inject({ method: 'GET', url: '/wallet', headers: html });
    assert.equal(page.statusCode, 404);
  });

  it('refuses a web dir without index.html at start-up', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'shardpay-web-empty-'));
    const broken = createTestGateway(database, { webDir: empty });
    await assert.rejects(
      async () => {
        await broken.app.ready();
      },
      (error: unknown) => isShardpayError(error, 'CONFIG_INVALID'),
    );
    await broken.app.close().catch(() => {});
    await rm(empty, { recursive: true, force: true });
  });
});
