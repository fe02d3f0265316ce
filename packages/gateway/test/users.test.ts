import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@shardpay/database';
import { SignJWT } from 'jose';
import { signAccessToken } from '../src/auth/accessTokens.ts';
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts';
import {
  createTestGateway,
  errorOf,
  signUpAndLogIn,
  testDatabaseTargets,
  uniqueEmail,
} from './helpers/testGateway.ts';

for (const target of testDatabaseTargets()) {
  describe(`users and sessions (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
    });
    after(async () => {
      await database.close();
    });

    it('signs up a user with a typed id and stores only a scrypt hash', async () => {
      const { app, logs } = createTestGateway(database);
      const email = uniqueEmail();
      const response = await app.inject({
        method: 'POST',
        url: '/v1/users',
        payload: { email, password: 'a very secret passphrase' },
      });
      assert.equal(response.statusCode, 201);
      const user = response.json() as { id: string; object: string; email: string; created: number };
      assert.match(user.id, /^usr_[A-Za-z0-9_-]{22}$/);
      assert.equal(user.object, 'user');
      assert.equal(user.email, email);
      assert.equal(Object.hasOwn(user, 'password'), false);
      const stored = await database.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = $1',
        [user.id],
      );
      assert.match(stored.rows[0]!.password_hash, /^scrypt\$1024\$8\$1\$/);
      assert.ok(!stored.rows[0]!.password_hash.includes('a very secret passphrase'));
      assert.ok(!logs.text().includes('a very secret passphrase'));
    });

    it('refuses a second account with the same email, whatever its case', async () => {
      const { app } = createTestGateway(database);
      const email = uniqueEmail();
      await app.inject({ method: 'POST', url: '/v1/users', payload: { email, password: 'first password!' } });
      const again = await app.inject({
        method: 'POST',
        url: '/v1/users',
        payload: { email: email.toUpperCase(), password: 'second password!' },
      });
      assert.equal(again.statusCode, 409);
      assert.equal(errorOf(again).code, 'email_taken');
      assert.equal(errorOf(again).param, 'email');
    });

    it('logs in, answers /v1/me, and refuses a wrong password or unknown email alike', async () => {
      const { app } = createTestGateway(database);
      const { email, session, auth } = await signUpAndLogIn(app);
      assert.match(session.id, /^ses_/);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: auth });
      assert.equal(me.statusCode, 200);
      assert.equal((me.json() as { email: string }).email, email);
      const wrong = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { email, password: 'not it at all' },
      });
      const unknown = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { email: uniqueEmail(), password: 'whatever password' },
      });
      for (const response of [wrong, unknown]) {
        assert.equal(response.statusCode, 401);
        assert.equal(errorOf(response).type, 'authentication_error');
        assert.equal(errorOf(response).code, 'credentials_invalid');
      }
      assert.equal(errorOf(wrong).message, errorOf(unknown).message);
    });

    it('issues access tokens that expire after 15 minutes', async () => {
      const { app, clock } = createTestGateway(database);
      const { auth, session } = await signUpAndLogIn(app);
      const payload = JSON.parse(
        Buffer.from(session.access_token.split('.')[1]!, 'base64url').toString(),
      ) as {
        exp: number;
        iat: number;
        iss: string;
        aud: string;
      };
      assert.equal(payload.exp - payload.iat, 900);
      assert.equal(payload.iss, 'shardpay-gateway');
      assert.equal(payload.aud, 'shardpay-api');
      clock.advance(14 * 60_000);
      assert.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: auth })).statusCode, 200);
      clock.advance(2 * 60_000);
      const expired = await app.inject({ method: 'GET', url: '/v1/me', headers: auth });
      assert.equal(expired.statusCode, 401);
      assert.equal(errorOf(expired).type, 'authentication_error');
      assert.equal(errorOf(expired).code, 'token_expired');
    });

    it('refuses missing, forged, wrong-audience, wrong-issuer and unsigned tokens with 401', async () => {
      const gateway = createTestGateway(database);
      const { app, config, clock } = gateway;
      const { session } = await signUpAndLogIn(app);
      const claims = { userId: session.user_id, sessionId: session.id };
      const settings = {
        secret: config.jwtSecret,
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        ttlSeconds: 900,
      };
      const forged = await signAccessToken(
        claims,
        { ...settings, secret: new Uint8Array(32).fill(7) },
        clock.now(),
      );
      const wrongAudience = await signAccessToken(
        claims,
        { ...settings, audience: 'someone-else' },
        clock.now(),
      );
      const wrongIssuer = await signAccessToken(claims, { ...settings, issuer: 'evil' }, clock.now());
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(
        JSON.stringify({
          sub: claims.userId,
          sid: claims.sessionId,
          iss: settings.issuer,
          aud: settings.audience,
          exp: 9e9,
        }),
      ).toString('base64url');
      const unsigned = `${header}.${body}.`;
      const noExpiry = await new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .sign(config.jwtSecret);
      const cases: Array<[string, Record<string, string>, string]> = [
        ['missing', {}, 'authentication_required'],
        ['not bearer', { authorization: `Basic ${session.access_token}` }, 'authentication_required'],
        ['forged', { authorization: `Bearer ${forged.token}` }, 'token_invalid'],
        ['wrong audience', { authorization: `Bearer ${wrongAudience.token}` }, 'token_invalid'],
        ['wrong issuer', { authorization: `Bearer ${wrongIssuer.token}` }, 'token_invalid'],
        ['alg none', { authorization: `Bearer ${unsigned}` }, 'token_invalid'],
        ['no exp', { authorization: `Bearer ${noExpiry}` }, 'token_invalid'],
      ];
      for (const [name, headers, code] of cases) {
        const response = await app.inject({ method: 'GET', url: '/v1/me', headers });
        assert.equal(response.statusCode, 401, name);
        assert.equal(errorOf(response).type, 'authentication_error', name);
        assert.equal(errorOf(response).code, code, name);
      }
    });

    it('rotates refresh tokens and ends the session when a used one comes back', async () => {
      const { app } = createTestGateway(database);
      const { session } = await signUpAndLogIn(app);
      const refresh = (token: string) =>
        app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refresh_token: token } });
      const rotated = await refresh(session.refresh_token);
      assert.equal(rotated.statusCode, 201);
      const next = rotated.json() as { refresh_token: string; access_token: string; id: string };
      assert.notEqual(next.refresh_token, session.refresh_token);
      assert.equal(next.id, session.id);
      const stored = await database.query('SELECT 1 FROM refresh_tokens WHERE token_hash = $1', [
        next.refresh_token,
      ]);
      assert.equal(stored.rowCount, 0, 'refresh tokens are stored hashed');
      // Replaying the first token: treated as stolen, the whole session ends.
      const reused = await refresh(session.refresh_token);
      assert.equal(reused.statusCode, 401);
      assert.equal(errorOf(reused).code, 'refresh_token_invalid');
      assert.equal((await refresh(next.refresh_token)).statusCode, 401);
      const me = await app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${next.access_token}` },
      });
      assert.equal(errorOf(me).code, 'session_revoked');
    });

    it('refuses an expired refresh token', async () => {
      const { app, clock, config } = createTestGateway(database);
      const { session } = await signUpAndLogIn(app);
      clock.advance(config.refreshTokenTtlSeconds * 1000 + 1000);
      const response = await app.inject({
        method: 'POST',
        url: '/v1/sessions/refresh',
        payload: { refresh_token: session.refresh_token },
      });
      assert.equal(response.statusCode, 401);
    });

    it('logs out: the access token and the refresh token stop working at once', async () => {
      const { app } = createTestGateway(database);
      const { session, auth } = await signUpAndLogIn(app);
      const logout = await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: auth });
      assert.equal(logout.statusCode, 204);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: auth });
      assert.equal(me.statusCode, 401);
      assert.equal(errorOf(me).code, 'session_revoked');
      const refresh = await app.inject({
        method: 'POST',
        url: '/v1/sessions/refresh',
        payload: { refresh_token: session.refresh_token },
      });
      assert.equal(refresh.statusCode, 401);
    });

    it('replays a sign-up sent twice with one Idempotency-Key', async () => {
      const { app } = createTestGateway(database);
      const email = uniqueEmail();
      const send = () =>
        app.inject({
          method: 'POST',
          url: '/v1/users',
          headers: { 'idempotency-key': `signup-${email}` },
          payload: { email, password: 'idempotent password' },
        });
      const first = await send();
      const second = await send();
      assert.equal(first.statusCode, 201);
      assert.equal(second.statusCode, 201);
      assert.equal(second.body, first.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
    });

    it('never stores login responses (they carry credentials) under an Idempotency-Key', async () => {
      const { app } = createTestGateway(database);
      const email = uniqueEmail();
      await app.inject({ method: 'POST', url: '/v1/users', payload: { email, password: 'login password!' } });
      const key = `login-${email}`;
      const login = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        headers: { 'idempotency-key': key },
        payload: { email, password: 'login password!' },
      });
      assert.equal(login.statusCode, 201);
      const stored = await database.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key]);
      assert.equal(stored.rowCount, 0);
    });
  });
}

describe('password hashes', () => {
  it('verify the right password only, and reject malformed hashes', async () => {
    const hash = await hashPassword('right password', 1024);
    assert.equal(await verifyPassword('right password', hash), true);
    assert.equal(await verifyPassword('wrong password', hash), false);
    assert.equal(await verifyPassword('right password', 'plain:right password'), false);
    assert.notEqual(await hashPassword('right password', 1024), hash, 'salted');
  });
});
