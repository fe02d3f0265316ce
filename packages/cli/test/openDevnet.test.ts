import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  bytesToHex,
  encodeAddress,
  hexToBytes,
  isShardpayError,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import { loadNodeConfig } from '@shardpay/node';
import { networkConfigFromJson, shardOfAddress } from '@shardpay/protocol';
import { DEVNET_CHAIN_ID, openDevnet, readDevnetManifest } from '../src/devnet/openDevnet.ts';

const root = mkdtempSync(join(tmpdir(), 'shardpay-open-devnet-'));
after(() => rmSync(root, { recursive: true, force: true }));

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

async function refusedCode(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    assert.ok(isShardpayError(error), String(error));
    return error.code;
  }
  assert.fail('accepted');
}

describe('openDevnet', () => {
  const dir = join(root, 'net');

  it('generates genesis, keys (0600) and one config per validator on first start', async () => {
    const opened = await openDevnet({
      dir,
      shards: 2,
      validators: 4,
      port: 30_000,
      now: () => new Date(1_000_000),
    });
    assert.equal(opened.created, true);
    assert.equal(opened.dir, dir);
    const { manifest } = opened;
    assert.equal(manifest.chainId, DEVNET_CHAIN_ID);
    assert.deepEqual([manifest.shards, manifest.validatorsPerShard, manifest.basePort], [2, 4, 30_000]);
    assert.equal(manifest.validators.length, 8);

    const network = networkConfigFromJson(readJson(join(dir, 'genesis.json')));
    assert.equal(network.chainId, DEVNET_CHAIN_ID);
    assert.equal(network.genesisTimeMs, 1_000_000n);
    for (const name of [
      'issuer.json',
      'faucet-0.json',
      'faucet-1.json',
      'fee-collector-0.json',
      'fee-collector-1.json',
      'issuer-control-0.json',
      'issuer-control-1.json',
      'issuer-control-2.json',
    ]) {
      assert.equal(statSync(join(dir, 'keys', name)).mode & 0o777, 0o600, name);
    }
    // The issuer's 2-of-3 control group: key file i is owner index i.
    assert.equal(network.issuerControl?.threshold, 2);
    for (const index of [0, 1, 2]) {
      const key = readJson(join(dir, 'keys', `issuer-control-${index}.json`));
      assert.equal(
        bytesToHex(publicKeyFromPrivateKey(hexToBytes(String(key.privateKey)))),
        bytesToHex(network.issuerControl?.owners[index] ?? new Uint8Array()),
      );
    }
    for (const shard of [0, 1]) {
      const faucet = readJson(join(dir, 'keys', `faucet-${shard}.json`));
      const address = addressFromPublicKey(publicKeyFromPrivateKey(hexToBytes(String(faucet.privateKey))));
      assert.equal(faucet.address, encodeAddress(address, 'spd'));
      assert.equal(shardOfAddress(network, address), shard);
      assert.ok(network.initialBalances.some((b) => bytesToHex(b.address) === bytesToHex(address)));
    }

    for (const record of manifest.validators) {
      const folder = join(dir, record.dir);
      assert.equal(statSync(join(folder, 'key.json')).mode & 0o777, 0o600);
      const key = readJson(join(folder, 'key.json'));
      assert.deepEqual(Object.keys(key), ['privateKey']);
      const member = network.committees[record.shard]!.validators[record.index]!;
      assert.equal(
        bytesToHex(publicKeyFromPrivateKey(hexToBytes(String(key.privateKey)))),
        bytesToHex(member.publicKey),
      );
      assert.deepEqual(member.addresses, [`/ip4/127.0.0.1/tcp/${record.p2pPort}`]);
      const config = await loadNodeConfig(join(folder, 'config.json'));
      assert.equal(config.genesisPath, join(dir, 'genesis.json'));
      assert.equal(config.dataDir, join(folder, 'data'));
      assert.deepEqual(config.rpc, { host: '127.0.0.1', port: 30_010 + record.shard * 4 + record.index });
      assert.deepEqual([config.shard, config.validatorIndex], [record.shard, record.index]);
      assert.equal(record.log, join('logs', `s${record.shard}-v${record.index}.log`));
    }
    assert.deepEqual(await readDevnetManifest(dir), manifest);
  });

  it('resumes with the recorded shape when flags are left out or match', async () => {
    const genesisBefore = readFileSync(join(dir, 'genesis.json'), 'utf8');
    const resumed = await openDevnet({ dir });
    assert.equal(resumed.created, false);
    assert.equal(resumed.manifest.basePort, 30_000);
    assert.equal((await openDevnet({ dir, shards: 2, validators: 4, port: 30_000 })).created, false);
    assert.equal(readFileSync(join(dir, 'genesis.json'), 'utf8'), genesisBefore);
  });

  it('refuses flags that contradict the recorded devnet', async () => {
    for (const flags of [{ shards: 3 }, { validators: 7 }, { port: 30_001 }]) {
      assert.equal(await refusedCode(() => openDevnet({ dir, ...flags })), 'DEVNET_STATE_INVALID');
    }
  });

  it('uses the defaults on a first start without flags', async () => {
    const opened = await openDevnet({ dir: join(root, 'defaults') });
    assert.deepEqual(
      [opened.manifest.shards, opened.manifest.validatorsPerShard, opened.manifest.basePort],
      [2, 4, 8080],
    );
  });

  it('refuses a folder that holds other things, and a damaged manifest', async () => {
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    assert.equal(await refusedCode(() => openDevnet({ dir: busy })), 'DEVNET_STATE_INVALID');

    const damaged = join(root, 'damaged');
    await openDevnet({ dir: damaged, shards: 1, validators: 1, port: 31_000 });
    writeFileSync(join(damaged, 'devnet.json'), '{"version": 1');
    assert.equal(await refusedCode(() => openDevnet({ dir: damaged })), 'DEVNET_STATE_INVALID');
    writeFileSync(join(damaged, 'devnet.json'), JSON.stringify({ version: 1, chainId: 'x', shards: 1 }));
    assert.equal(await refusedCode(() => readDevnetManifest(damaged)), 'DEVNET_STATE_INVALID');

    assert.equal(await refusedCode(() => openDevnet({ dir: join(root, 'bad'), shards: 0 })), 'USAGE');
  });

  it('redoes an interrupted first start (files written, no devnet.json yet)', async () => {
    const partial = join(root, 'partial');
    mkdirSync(join(partial, 'keys'), { recursive: true });
    writeFileSync(join(partial, 'genesis.json'), '{}');
    const opened = await openDevnet({ dir: partial, shards: 1, validators: 1, port: 32_000 });
    assert.equal(opened.created, true);
    assert.equal(networkConfigFromJson(readJson(join(partial, 'genesis.json'))).shardCount, 1);
  });
});
