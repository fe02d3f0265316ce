import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { createDevnetGenesis } from '@shardpay/node';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { signAccessToken } from '../src/auth/accessTokens.ts';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { createChainClient } from '../src/chain/createChainClient.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import {
  createLogCapture,
  createMigratedPglite,
  createTestClock,
  signUpAndLogIn,
} from './helpers/testGateway.ts';

/**
 * Fuzzes every operation of the gateway's own OpenAPI document: bodies generated from the request
 * schema (valid-ish, then mutated), random path params and query strings, with and without a
 * valid / expired / forged token, malformed JSON and oversized bodies. No answer may be a 5xx,
 * except 503 chain_unavailable from the routes that need the chain: the app's chain client points
 * at a closed port on purpose, so those routes exist and show what they answer when no node does.
 * Every 4xx/503 body must be the error object. `FUZZ_SEED=<n>` replays a run.
 */
const seed = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
const runs = 300;

// Routes whose handler calls a node: with no node answering they give 503 chain_unavailable.
const chainRoutes = new Set([
  'POST /v1/payments',
  'GET /v1/wallets/{id}/balance',
  'GET /v1/accounts/{address}',
  'GET /v1/transactions/{tx_id}',
  'POST /v1/faucet',
  'GET /v1/shards/{shard}/blocks',
  'GET /v1/shards/{shard}/blocks/{height}',
  'GET /v1/accounts/{address}/proof',
  'GET /v1/receipts/{shard}/{receipt_id}',
  'GET /v1/network/stats',
]);

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  pathParams: Array<{ name: string; schema: JsonSchema }>;
  queryParams: Array<{ name: string; schema: JsonSchema }>;
  body: JsonSchema | undefined;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const genesis = createDevnetGenesis({
  chainId: 'shardpay-fuzz',
  shards: 2,
  validatorsPerShard: 1,
  p2pPort: (shard) => 40_000 + shard,
  faucetBalance: '1000',
  genesisTimeMs: 0n,
});
const network = genesis.config;
const someAddress = encodeAddress(genesis.faucets[1]!.address, 'spd');

/** Strings that have broken parsers before: amounts, addresses, ids, encodings, injections. */
const nastyStrings = [
  '',
  '-1',
  '1e5',
  '0.0000001',
  '99999999999999999999',
  '0',
  '0.000000',
  '10000.000001',
  ' 1',
  '1,5',
  'NaN',
  'Infinity',
  someAddress,
  someAddress.toUpperCase(),
  someAddress.replace(/^spd/, 'sp'),
  'spd1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
  'ab'.repeat(32),
  'pay_AAAAAAAAAAAAAAAAAAAAAA',
  'wal_AAAAAAAAAAAAAAAAAAAAAA',
  'wch_AAAAAAAAAAAAAAAAAAAAAA',
  'evt_AAAAAAAAAAAAAAAAAAAAAA',
  "' OR 1=1 --",
  '../../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '😀'.repeat(40),
  'x'.repeat(5000),
  '__proto__',
  'constructor',
];

/** Percent-encodes, sending a lone surrogate as the invalid UTF-8 bytes a careless client would. */
function encodePathValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value
      .replace(/[\ud800-\udfff]/g, '%ED%A0%80')
      .replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c));
  }
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties !== undefined) return ['object'];
  return [];
}

/** A value that should pass `schema` (as far as a generator can tell). */
function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const choices = typesOf(schema).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
        return fc.oneof(
          fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
          fc.constantFrom(...nastyStrings),
        );
      case 'integer':
        return fc.integer();
      case 'number':
        return fc.double();
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return depth > 3
          ? fc.constant([])
          : fc.array(validValue(schema.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object': {
        if (depth > 3) return fc.constant({});
        const properties = schema.properties ?? {};
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, property] of Object.entries(properties))
          model[name] = validValue(property, depth + 1);
        return fc.record(model, {
          requiredKeys: (schema.required ?? []).filter((name) => name in properties),
        });
      }
      default:
        return fc.anything();
    }
  });
  return choices.length === 0 ? fc.anything() : fc.oneof(...choices);
}

/** A valid-ish body, then perhaps broken: a field of the wrong type, dropped, added, or huge. */
function bodyValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const fieldNames = Object.keys(schema.properties ?? {});
  const mutated = fc
    .tuple(
      validValue(schema),
      fc.constantFrom('wrongType', 'missing', 'extra', 'huge', 'nasty', 'none'),
      fc.constantFrom(...(fieldNames.length > 0 ? fieldNames : ['field'])),
      fc.oneof(fc.anything(), fc.constantFrom(...nastyStrings)),
    )
    .map(([value, mutation, field, other]) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      if (mutation === 'wrongType') copy[field] = typeof copy[field] === 'string' ? 12345 : 'text';
      if (mutation === 'missing') delete copy[field];
      if (mutation === 'extra') copy.private_key = 'ab'.repeat(32);
      if (mutation === 'huge') copy[field] = 'y'.repeat(20_000);
      if (mutation === 'nasty') copy[field] = other;
      return copy;
    });
  return fc.oneof(
    { weight: 1, arbitrary: validValue(schema) },
    { weight: 3, arbitrary: mutated },
    fc.anything(),
  );
}

function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []) as Array<{
        in: string;
        name: string;
        schema: JsonSchema;
      }>;
      const content = (
        operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined
      )?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

function assertErrorBody(response: LightMyRequestResponse, where: string): void {
  let body: { error?: Record<string, unknown> };
  try {
    body = response.json();
  } catch {
    assert.fail(`${where}: ${response.statusCode} body is not JSON: ${response.body.slice(0, 200)}`);
  }
  assert.deepEqual(Object.keys(body), ['error'], `${where}: ${response.body.slice(0, 300)}`);
  const error = body.error!;
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'request_id', 'type'], where);
  assert.equal(typeof error.code, 'string', where);
  assert.equal(typeof error.message, 'string', where);
  assert.ok(error.param === null || typeof error.param === 'string', where);
  assert.match(String(error.request_id), /^req_/, where);
  assert.ok(
    [
      'invalid_request_error',
      'authentication_error',
      'card_error',
      'idempotency_error',
      'rate_limit_error',
      'api_error',
    ].includes(String(error.type)),
    where,
  );
}

describe(`OpenAPI fuzz (FUZZ_SEED=${seed} replays)`, { timeout: 120_000 }, () => {
  let database: Database;
  let app: FastifyInstance;
  let keysDir: string;
  let operations: Operation[];
  const tokens: Record<string, string | undefined> = {};

  before(async () => {
    database = await createMigratedPglite();
    keysDir = mkdtempSync(join(tmpdir(), 'shardpay-fuzz-keys-'));
    for (const [shard, key] of genesis.faucets.entries()) {
      writeFileSync(
        join(keysDir, `faucet-${shard}.json`),
        JSON.stringify({ privateKey: bytesToHex(key.privateKey) }),
      );
    }
    const port = await closedPort();
    const chain = createChainClient({
      shards: { 0: [`http://127.0.0.1:${port}`], 1: [`http://127.0.0.1:${port}`] },
      requestTimeoutMs: 1000,
    });
    const clock = createTestClock(Date.now());
    const config = resolveGatewayConfig({
      mode: 'devnet',
      faucetKeysDir: keysDir,
      passwordScryptN: 2 ** 10,
      rateLimit: false,
    });
    app = buildGatewayApp(config, {
      database,
      now: clock.now,
      logStream: createLogCapture(),
      chain: { client: chain, network },
    });
    await app.ready();
    operations = operationsOf(app.swagger() as unknown as Parameters<typeof operationsOf>[0]);
    const { session } = await signUpAndLogIn(app);
    const settings = {
      secret: config.jwtSecret,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      ttlSeconds: config.accessTokenTtlSeconds,
    };
    const claims = { userId: session.user_id, sessionId: session.id };
    tokens.none = undefined;
    tokens.valid = `Bearer ${session.access_token}`;
    tokens.expired = `Bearer ${(await signAccessToken(claims, settings, new Date(clock.now().getTime() - 3_600_000))).token}`;
    tokens.forged = `Bearer ${(await signAccessToken(claims, { ...settings, secret: new Uint8Array(32).fill(1) }, clock.now())).token}`;
    tokens.garbage = 'Bearer not.a.jwt';
    tokens.basic = 'Basic dXNlcjpwYXNz';
  });
  after(async () => {
    await app?.close();
    await database?.close();
    if (keysDir !== undefined) rmSync(keysDir, { recursive: true, force: true });
  });

  it(`answers every generated request with < 500 and the error object (seed ${seed}, ${runs} runs)`, async () => {
    assert.ok(operations.length >= 15, `only ${operations.length} operations in the OpenAPI document`);
    const seen = new Map<string, Set<number>>();
    const request = fc.nat({ max: operations.length - 1 }).chain((index) => {
      const operation = operations[index]!;
      const pathValues = fc.tuple(
        ...operation.pathParams.map((param) =>
          fc.oneof(validValue(param.schema), fc.constantFrom(...nastyStrings), fc.string()),
        ),
      );
      const query = fc.dictionary(
        fc.oneof(
          fc.constantFrom(...operation.queryParams.map((p) => p.name), 'limit'),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(fc.constantFrom(...nastyStrings), fc.string({ maxLength: 12 }), fc.nat().map(String)),
        { maxKeys: 3 },
      );
      return fc.record({
        index: fc.constant(index),
        pathValues,
        query,
        auth: fc.constantFrom('none', 'valid', 'valid', 'expired', 'forged', 'garbage', 'basic'),
        idempotencyKey: fc.oneof(
          fc.constant(undefined),
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.constant('k'.repeat(300)),
        ),
        payloadKind: fc.constantFrom('json', 'json', 'json', 'malformed', 'text', 'oversized', 'none'),
        body: operation.body === undefined ? fc.anything() : bodyValue(operation.body),
      });
    });
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const operation = operations[input.index]!;
        let url = operation.path;
        operation.pathParams.forEach((param, i) => {
          url = url.replace(`{${param.name}}`, encodePathValue(String(input.pathValues[i])));
        });
        const search = Object.entries(input.query)
          .map(([name, value]) => `${encodePathValue(name)}=${encodePathValue(String(value))}`)
          .join('&');
        if (search !== '') url += `?${search}`;
        const headers: Record<string, string> = {};
        const auth = tokens[input.auth];
        if (auth !== undefined) headers.authorization = auth;
        if (input.idempotencyKey !== undefined) headers['idempotency-key'] = input.idempotencyKey;
        let payload: string | undefined;
        if (operation.method !== 'GET' && operation.method !== 'DELETE') {
          if (input.payloadKind === 'json') payload = JSON.stringify(input.body) ?? 'null';
          if (input.payloadKind === 'malformed') payload = `{"a": ${JSON.stringify(input.body) ?? ''}`;
          if (input.payloadKind === 'oversized') payload = JSON.stringify({ pad: 'z'.repeat(70 * 1024) });
          if (input.payloadKind === 'text') payload = 'plain text';
          if (payload !== undefined) {
            headers['content-type'] = input.payloadKind === 'text' ? 'text/plain' : 'application/json';
          }
        }
        const response = await app.inject({
          method: operation.method as 'GET',
          url,
          headers,
          ...(payload === undefined ? {} : { payload }),
        });
        const key = `${operation.method} ${operation.path}`;
        if (key === 'DELETE /v1/sessions' && response.statusCode === 204) {
          // That logged the fuzzing user out: log a new one in, so later requests still get past auth.
          tokens.valid = `Bearer ${(await signUpAndLogIn(app)).session.access_token}`;
        }
        if (!seen.has(key)) seen.set(key, new Set());
        seen.get(key)!.add(response.statusCode);
        const where = `${key} → ${url.slice(0, 200)} (${input.auth}, ${input.payloadKind}) answered ${response.statusCode}`;
        if (response.statusCode === 503) {
          assert.ok(chainRoutes.has(key), `${where}: 503 from a route that does not need the chain`);
          assertErrorBody(response, where);
          assert.equal(response.json().error.code, 'chain_unavailable', where);
          return;
        }
        assert.ok(response.statusCode < 500, `${where}: ${response.body.slice(0, 300)}`);
        if (response.statusCode >= 400) assertErrorBody(response, where);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    if (process.env.FUZZ_VERBOSE)
      console.log([...seen].map(([k, v]) => `${k}: ${[...v].sort().join(',')}`).join('\n'));
    // Every operation was exercised at least once, or the run said nothing about it.
    assert.ok(seen.size >= Math.min(operations.length, 10), `only ${seen.size} operations were hit`);
  });
});
