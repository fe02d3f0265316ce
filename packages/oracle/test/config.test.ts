import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import { shardOfAddress } from '@shardpay/protocol';
import { loadOracleConfig, parseChainNodes } from '../src/config.ts';
import { deriveFeePayerKey, deriveFeePayers } from '../src/deriveFeePayerKey.ts';
import { main } from '../src/main.ts';
import { createTestNetworkConfig, testPrivateKey } from './helpers/testNetwork.ts';

const apiKey = 'k'.repeat(40);
const nodes = JSON.stringify({ 0: ['http://127.0.0.1:1'], 1: ['http://127.0.0.1:2'] });

function refusedFor(variable: string) {
  return (error: unknown) => {
    assert.ok(isShardpayError(error, 'CONFIG_INVALID'), String(error));
    assert.equal(error.meta.variable, variable);
    return true;
  };
}

describe('oracle config', () => {
  let dir = '';
  let keyFile = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oracle-config-'));
    keyFile = join(dir, 'oracle.json');
    await writeFile(keyFile, JSON.stringify({ privateKey: bytesToHex(testPrivateKey('config')) }));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a complete environment', async () => {
    const config = await loadOracleConfig({
      SHARDPAY_ORACLE_API_KEY: apiKey,
      SHARDPAY_ORACLE_KEY_FILE: keyFile,
      SHARDPAY_CHAIN_NODES: nodes,
      PORT: '0',
      SHARDPAY_ORACLE_DATA_DIR: join(dir, 'db'),
    });
    assert.equal(config.port, 0);
    assert.deepEqual(config.chainNodes, [['http://127.0.0.1:1'], ['http://127.0.0.1:2']]);
    assert.deepEqual(config.oracleKey, testPrivateKey('config'));
    assert.equal(config.dataDir, join(dir, 'db'));
  });

  it('refuses a missing or short API key, a bad key file, bad nodes and a bad port', async () => {
    const base = {
      SHARDPAY_ORACLE_API_KEY: apiKey,
      SHARDPAY_ORACLE_KEY_FILE: keyFile,
      SHARDPAY_CHAIN_NODES: nodes,
    };
    await assert.rejects(
      loadOracleConfig({ ...base, SHARDPAY_ORACLE_API_KEY: 'short' }),
      refusedFor('SHARDPAY_ORACLE_API_KEY'),
    );
    await assert.rejects(
      loadOracleConfig({ ...base, SHARDPAY_ORACLE_KEY_FILE: undefined }),
      refusedFor('SHARDPAY_ORACLE_KEY_FILE'),
    );
    await assert.rejects(
      loadOracleConfig({ ...base, SHARDPAY_ORACLE_KEY_FILE: join(dir, 'missing.json') }),
      refusedFor('SHARDPAY_ORACLE_KEY_FILE'),
    );
    const badKey = join(dir, 'bad.json');
    await writeFile(badKey, JSON.stringify({ privateKey: '00'.repeat(32) }));
    await assert.rejects(
      loadOracleConfig({ ...base, SHARDPAY_ORACLE_KEY_FILE: badKey }),
      refusedFor('SHARDPAY_ORACLE_KEY_FILE'),
    );
    await assert.rejects(
      loadOracleConfig({ ...base, SHARDPAY_CHAIN_NODES: undefined }),
      refusedFor('SHARDPAY_CHAIN_NODES'),
    );
    await assert.rejects(loadOracleConfig({ ...base, PORT: '70000' }), refusedFor('PORT'));
    for (const text of ['[]', '{}', '{"1": ["http://a"]}', '{"0": []}', '{"0": ["ftp://a"]}', 'not json']) {
      assert.throws(() => parseChainNodes(text), refusedFor('SHARDPAY_CHAIN_NODES'), text);
    }
  });

  it('main exits 1 with a clear message on bad config', async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      assert.equal(await main({ SHARDPAY_CHAIN_NODES: nodes, SHARDPAY_ORACLE_KEY_FILE: keyFile }), 1);
    } finally {
      process.stderr.write = write;
    }
    assert.match(
      written.join(''),
      /shardpay-oracle: cannot start: CONFIG_INVALID: SHARDPAY_ORACLE_API_KEY is required/,
    );
  });

  it('derives one fee payer per shard, on that shard, the same every time', () => {
    const network = createTestNetworkConfig();
    const key = testPrivateKey('fee payers');
    const payers = deriveFeePayers(key, network);
    assert.equal(payers.length, 2);
    payers.forEach((payer, shard) => {
      assert.equal(payer.shard, shard);
      assert.equal(shardOfAddress(network, payer.addressBytes), shard);
    });
    assert.deepEqual(deriveFeePayerKey(key, network, 1), deriveFeePayerKey(key, network, 1));
    assert.notDeepEqual(
      deriveFeePayerKey(key, network, 0),
      deriveFeePayerKey(testPrivateKey('other'), network, 0),
    );
  });
});
