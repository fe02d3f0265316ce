import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShardpayError } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { signAccessToken } from '../src/auth/accessTokens.ts';
import { apiError } from '../src/http/apiErrors.ts';
import { createTestGateway, errorOf } from './helpers/testGateway.ts';

/** A database that fails every call, with a message that must never reach a client. */
const failingDatabase: Database = {
  kind: 'pglite',
  query: async () => {
    throw new Error('connection to 10.0.0.7 refused: SECRET-DB-DETAIL');
  },
  exec: async () => {
    throw new Error('unused');
  },
  transaction: async () => {
    throw new Error('unused');
  },
  close: async () => undefined,
};

describe('gateway app skeleton', () => {
  it('answers an unknown route with the 404 error shape and a request id', async () => {
    const { app } = createTestGateway(failingDatabase);
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    assert.equal(response.statusCode, 404);
    const error = errorOf(response);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.code, 'route_not_found');
    assert.match(error.request_id, /^req_/);
    assert.equal(response.headers['request-id'], error.request_id);
  });

  it('gives every request its own id', async () => {
    const { app } = createTestGateway(failingDatabase);
    const first = await app.inject({ method: 'GET', url: '/health' });
    const second = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(first.statusCode, 200);
    assert.notEqual(first.headers['request-id'], second.headers['request-id']);
  });

  it('names the missing, invalid and unknown parameter in a 400', async () => {
    const { app } = createTestGateway(failingDatabase);
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'a@example.com' },
    });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(
      { type: errorOf(missing).type, code: errorOf(missing).code, param: errorOf(missing).param },
      { type: 'invalid_request_error', code: 'parameter_missing', param: 'password' },
    );
    const invalid = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'not-an-email', password: 'long enough password' },
    });
    assert.equal(errorOf(invalid).code, 'parameter_invalid');
    assert.equal(errorOf(invalid).param, 'email');
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'a@example.com', password: 'long enough password', admin: true },
    });
    assert.equal(errorOf(unknown).code, 'parameter_unknown');
    assert.equal(errorOf(unknown).param, 'admin');
  });

  it('does not coerce a number into a string field', async () => {
    const { app } = createTestGateway(failingDatabase);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'a@example.com', password: 12345678901 },
    });
    assert.equal(response.statusCode, 400);
    assert.equal(errorOf(response).param, 'password');
  });

  it('refuses malformed JSON and oversized bodies with the error shape', async () => {
    const { app } = createTestGateway(failingDatabase, { bodyLimitBytes: 1024 });
    const malformed = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(errorOf(malformed).code, 'body_invalid');
    const large = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'a@example.com', password: 'x'.repeat(2000) },
    });
    assert.equal(large.statusCode, 413);
    assert.equal(errorOf(large).code, 'body_too_large');
    assert.equal(errorOf(large).type, 'invalid_request_error');
  });

  it('hides the details of a 5xx and logs them', async () => {
    const gateway = createTestGateway(failingDatabase);
    const { token } = await signAccessToken(
      { userId: 'usr_aaaaaaaaaaaaaaaaaaaaaa', sessionId: 'ses_aaaaaaaaaaaaaaaaaaaaaa' },
      {
        secret: gateway.config.jwtSecret,
        issuer: gateway.config.jwtIssuer,
        audience: gateway.config.jwtAudience,
        ttlSeconds: 900,
      },
      gateway.clock.now(),
    );
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.statusCode, 500);
    const error = errorOf(response);
    assert.equal(error.type, 'api_error');
    assert.equal(error.code, 'internal_error');
    assert.doesNotMatch(response.body, /SECRET-DB-DETAIL|10\.0\.0\.7/);
    assert.match(gateway.logs.text(), /SECRET-DB-DETAIL/);
    // The bearer token itself is never logged.
    assert.ok(!gateway.logs.text().includes(token));
  });

  it('maps a coded refusal thrown by a route to its status and type', async () => {
    const { app } = createTestGateway(failingDatabase);
    app.get('/test/refuse', async () => {
      throw apiError('IDEMPOTENCY_KEY_REUSED', 'used with other parameters');
    });
    const response = await app.inject({ method: 'GET', url: '/test/refuse' });
    assert.equal(response.statusCode, 409);
    assert.equal(errorOf(response).type, 'idempotency_error');
    assert.equal(errorOf(response).code, 'idempotency_key_reused');
  });

  it('shows other 4xx errors as request_invalid and unknown codes as a bare 500', async () => {
    const { app } = createTestGateway(failingDatabase);
    app.get('/test/not-acceptable', async () => {
      throw Object.assign(new Error('cannot produce that format'), { statusCode: 406 });
    });
    app.get('/test/unmapped', async () => {
      throw new ShardpayError('HASH_INVALID', 'internal detail 0xdeadbeef');
    });
    const notAcceptable = await app.inject({ method: 'GET', url: '/test/not-acceptable' });
    assert.equal(notAcceptable.statusCode, 400);
    assert.equal(errorOf(notAcceptable).code, 'request_invalid');
    const unmapped = await app.inject({ method: 'GET', url: '/test/unmapped' });
    assert.equal(unmapped.statusCode, 500);
    assert.equal(errorOf(unmapped).code, 'internal_error');
    assert.doesNotMatch(unmapped.body, /deadbeef/);
  });

  it('never logs passwords, tokens or keystores from a request', async () => {
    const gateway = createTestGateway(failingDatabase, { logLevel: 'trace' });
    gateway.app.post('/test/echo', async (request) => {
      request.log.info({ body: request.body }, 'got body');
      return { ok: true };
    });
    await gateway.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { authorization: 'Bearer SECRET-BEARER', cookie: 'sid=SECRET-COOKIE' },
      payload: {
        password: 'SECRET-PASSWORD',
        refresh_token: 'SECRET-REFRESH',
        mnemonic: 'SECRET-MNEMONIC',
        keystore: { ciphertext: 'SECRET-KEYSTORE' },
      },
    });
    const text = gateway.logs.text();
    assert.match(text, /got body/);
    for (const secret of [
      'SECRET-BEARER',
      'SECRET-COOKIE',
      'SECRET-PASSWORD',
      'SECRET-REFRESH',
      'SECRET-MNEMONIC',
      'SECRET-KEYSTORE',
    ]) {
      assert.ok(!text.includes(secret), `${secret} was logged`);
    }
  });

  it('answers 429 rate_limit_error with Retry-After past the limit', async () => {
    const { app } = createTestGateway(failingDatabase, { rateLimit: { max: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    let last = await app.inject({ method: 'GET', url: '/health' });
    statuses.push(last.statusCode);
    for (let i = 0; i < 3; i += 1) {
      last = await app.inject({ method: 'GET', url: '/health' });
      statuses.push(last.statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal(errorOf(last).type, 'rate_limit_error');
    assert.equal(errorOf(last).code, 'rate_limited');
    assert.ok(Number(last.headers['retry-after']) > 0);
  });

  it('serves Prometheus metrics counting requests by route', async () => {
    const { app } = createTestGateway(failingDatabase);
    await app.inject({ method: 'GET', url: '/health' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(
      response.body,
      /shardpay_gateway_http_requests_total\{method="GET",route="\/health",status="200"\} 1/,
    );
  });

  it('serves an OpenAPI document at /docs generated from the route schemas', async () => {
    const { app } = createTestGateway(failingDatabase);
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(response.statusCode, 200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(document.openapi, '3.0.3');
    for (const path of [
      '/v1/users',
      '/v1/sessions',
      '/v1/sessions/refresh',
      '/v1/me',
      '/v1/wallets',
      '/v1/wallets/{id}',
    ]) {
      assert.ok(document.paths[path] !== undefined, `${path} missing from OpenAPI`);
    }
    assert.ok(document.paths['/v1/wallets']?.post !== undefined);
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    assert.ok(ui.statusCode === 200 || ui.statusCode === 302);
  });
});
