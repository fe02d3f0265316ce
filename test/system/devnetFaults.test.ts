/**
 * The multi-process system test of the node issue: a 2 shards × 4 validators devnet as separate
 * `shardpay-node` processes on loopback, under a steady load of transfers within and across shards,
 * with validators killed by SIGKILL and restarted. Checks: no acknowledged transaction is lost, no
 * transfer is credited twice, supply is conserved, every shard agrees on its state roots, and a
 * status lookup by the original hash shows each stage.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { callNodeRpc, type DevnetManifest, findFreeDevnetPort, openDevnet } from '@shardpay/cli';
import {
  addressFromPublicKey,
  bytesToHex,
  encodeAddress,
  hexToBytes,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import {
  type Address,
  encodeTransaction,
  type NetworkConfig,
  networkConfigFromJson,
  parseAmount,
  shardOfAddress,
  signTransaction,
  transactionId,
} from '@shardpay/protocol';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';
import { createPrng } from './prng.ts';

const root = join(import.meta.dirname, '..', '..');
const nodeBin = join(root, 'packages', 'node', 'bin', 'shardpay-node.js');
const seed = Number(process.env.SHARDPAY_TEST_SEED ?? 20261122);

interface Validator {
  shard: number;
  index: number;
  url: string;
  configPath: string;
  logPath: string;
  child: ChildProcess | undefined;
}

interface SentTransfer {
  id: string;
  bytes: string;
  fromShard: number;
  toShard: number;
  to: Address;
  amount: bigint;
  submittedAt: number;
}

describe(`a multi-process devnet under faults (seed ${seed})`, { timeout: 600_000 }, () => {
  let dir = '';
  let manifest: DevnetManifest;
  let network: NetworkConfig;
  const validators: Validator[] = [];
  const prng = createPrng(seed);

  function start(validator: Validator): void {
    const log = openSync(validator.logPath, 'a');
    validator.child = spawn(process.execPath, [nodeBin, '--config', validator.configPath], {
      stdio: ['ignore', log, log],
    });
  }

  function kill(validator: Validator): Promise<void> {
    const child = validator.child;
    validator.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  const rpc = (validator: Validator, method: string, params: unknown = {}) =>
    callNodeRpc(validator.url, method, params, { timeoutMs: 5000 });

  async function height(validator: Validator): Promise<bigint | undefined> {
    try {
      const info = (await rpc(validator, 'shardpay_networkInfo')) as { height: string };
      return BigInt(info.height);
    } catch {
      return undefined;
    }
  }

  const alive = (shard: number) => validators.filter((v) => v.shard === shard && v.child !== undefined);

  async function shardHeight(shard: number): Promise<bigint> {
    const heights = await Promise.all(alive(shard).map(height));
    return heights.reduce<bigint>((max, h) => (h !== undefined && h > max ? h : max), 0n);
  }

  // ----- the load: transfers from each shard's faucet to a fixed set of recipients on both shards
  const sent: SentTransfer[] = [];
  const nonces = [0n, 0n];
  let loadRunning = false;
  let loadLoop: Promise<void> | undefined;
  let faucetKeys: Uint8Array[] = [];
  const recipients: Address[][] = [[], []];

  async function submit(transfer: SentTransfer): Promise<boolean> {
    for (const validator of alive(transfer.fromShard)) {
      try {
        await rpc(validator, 'shardpay_submitTransaction', { tx: transfer.bytes });
        return true;
      } catch {
        // Down or not ready: try another validator of the shard.
      }
    }
    return false;
  }

  function sendOne(fromShard: number): SentTransfer {
    const key = faucetKeys[fromShard]!;
    const toShard = prng.next() < 0.5 ? 0 : 1;
    const to = recipients[toShard]![Math.floor(prng.next() * recipients[toShard]!.length)]!;
    const amount = BigInt(1 + Math.floor(prng.next() * 1_000_000));
    const tx = signTransaction(
      {
        chainId: network.chainId,
        shard: fromShard,
        nonce: nonces[fromShard]!,
        fee: 0n,
        expiryHeight: 1_000_000n,
        publicKey: publicKeyFromPrivateKey(key),
        operation: { type: 'transfer', to, amount, memo: '' },
      },
      key,
    );
    nonces[fromShard]! += 1n;
    const transfer = {
      id: bytesToHex(transactionId(tx)),
      bytes: bytesToHex(encodeTransaction(tx)),
      fromShard,
      toShard,
      to,
      amount,
      submittedAt: Date.now(),
    };
    sent.push(transfer);
    return transfer;
  }

  /** Open-loop load of ~10 transfers a second per shard; unconfirmed ones are re-submitted (same bytes). */
  async function runLoad(): Promise<void> {
    const confirmed = new Set<string>();
    while (loadRunning) {
      for (const shard of [0, 1]) await submit(sendOne(shard));
      const now = Date.now();
      for (const transfer of sent) {
        if (confirmed.has(transfer.id) || now - transfer.submittedAt < 3000) continue;
        const status = await statusOf(transfer);
        if (status !== 'pending' && status !== 'unknown') confirmed.add(transfer.id);
        else if (await submit(transfer)) transfer.submittedAt = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function statusOf(transfer: SentTransfer): Promise<string> {
    for (const validator of alive(transfer.fromShard)) {
      try {
        const status = (await rpc(validator, 'shardpay_getTransactionStatus', { txId: transfer.id })) as {
          status: string;
        };
        return status.status;
      } catch {
        // try another
      }
    }
    return 'unknown';
  }

  async function balance(address: Address): Promise<bigint> {
    const shard = shardOfAddress(network, address);
    for (const validator of alive(shard)) {
      try {
        const account = (await rpc(validator, 'shardpay_getAccount', {
          address: encodeAddress(address, network.addressPrefix),
        })) as { balance: string };
        return parseAmount(account.balance, { allowZero: true });
      } catch {
        // try another
      }
    }
    throw new Error(`no validator of shard ${shard} answers`);
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shardpay-system-'));
    const port = await findFreeDevnetPort(2, 4);
    ({ manifest } = await openDevnet({ dir, shards: 2, validators: 4, port }));
    network = networkConfigFromJson(JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')));
    for (const record of manifest.validators) {
      validators.push({
        shard: record.shard,
        index: record.index,
        url: `http://127.0.0.1:${record.rpcPort}`,
        configPath: join(dir, record.dir, 'config.json'),
        logPath: join(dir, record.log),
        child: undefined,
      });
    }
    faucetKeys = [0, 1].map((shard) => {
      const json = JSON.parse(readFileSync(join(dir, 'keys', `faucet-${shard}.json`), 'utf8')) as {
        privateKey: string;
      };
      return hexToBytes(json.privateKey);
    });
    // Recipients: fixed addresses on each shard (public keys are not needed to receive).
    for (let i = 0; recipients[0]!.length < 4 || recipients[1]!.length < 4; i++) {
      const address = addressFromPublicKey(
        publicKeyFromPrivateKey(hexToBytes((i + 1).toString(16).padStart(64, '0'))),
      );
      const shard = shardOfAddress(network, address);
      if (recipients[shard]!.length < 4) recipients[shard]!.push(address);
    }
    for (const validator of validators) start(validator);
    await waitFor(
      'both shards commit',
      120_000,
      async () => (await shardHeight(0)) >= 2n && (await shardHeight(1)) >= 2n,
    );
    loadRunning = true;
    loadLoop = runLoad();
  });

  after(async () => {
    loadRunning = false;
    await loadLoop?.catch(() => {});
    await Promise.all(validators.map(kill));
    if (process.env.SHARDPAY_KEEP_DIR) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('keeps committing with one validator per shard killed, and the restarted one catches up', async () => {
    const victims = [0, 1].map(
      (shard) => validators.find((v) => v.shard === shard && v.index === 1 + shard)!,
    );
    await Promise.all(victims.map(kill));
    const before = [await shardHeight(0), await shardHeight(1)];
    await waitFor('both shards commit 3 more blocks with a validator down', 60_000, async () => {
      return (await shardHeight(0)) >= before[0]! + 3n && (await shardHeight(1)) >= before[1]! + 3n;
    });
    for (const victim of victims) start(victim);
    await waitFor('restarted validators catch up', 90_000, async () => {
      for (const victim of victims) {
        const own = await height(victim);
        if (own === undefined || own + 1n < (await shardHeight(victim.shard))) return false;
      }
      return true;
    });
  });

  it('resumes a shard whose four validators were all killed, at the same height and state root', async () => {
    const shard1 = validators.filter((v) => v.shard === 1);
    const header = async (v: Validator, h: bigint) =>
      (await rpc(v, 'shardpay_getHeader', { height: h.toString() })) as { stateRoot: string } | null;
    const stored: Array<{ height: bigint; stateRoot: string }> = [];
    for (const v of shard1) {
      const h = (await height(v))!;
      stored.push({ height: h, stateRoot: (await header(v, h))!.stateRoot });
    }
    await Promise.all(shard1.map(kill));
    const sentBefore = sent.length;
    await waitFor('shard 0 keeps sending to shard 1 while it is down', 60_000, async () => {
      return sent.slice(sentBefore).filter((t) => t.fromShard === 0 && t.toShard === 1).length >= 5;
    });
    for (const validator of shard1) start(validator);
    for (const [i, v] of shard1.entries()) {
      await waitFor(
        `validator ${i} of shard 1 answers again`,
        60_000,
        async () => (await height(v)) !== undefined,
      );
      const resumed = (await height(v))!;
      assert.ok(
        resumed >= stored[i]!.height,
        `validator ${i} lost blocks: ${resumed} < ${stored[i]!.height}`,
      );
      assert.equal((await header(v, stored[i]!.height))?.stateRoot, stored[i]!.stateRoot);
    }
    const resumedAt = await shardHeight(1);
    await waitFor(
      'shard 1 commits new blocks after the restart',
      90_000,
      async () => (await shardHeight(1)) >= resumedAt + 3n,
    );
    const roots = new Set<string>();
    for (const v of shard1) roots.add((await header(v, resumedAt))?.stateRoot ?? 'missing');
    assert.deepEqual([...roots].length, 1, 'validators of shard 1 disagree on a state root');
    assert.ok(!roots.has('missing'));
  });

  it('loses no acknowledged transfer, credits each exactly once, conserves supply, and shows every stage', async () => {
    loadRunning = false;
    await loadLoop;
    await waitFor('every transfer final, and every cross-shard one credited', 180_000, async () => {
      for (const transfer of sent) {
        const status = await statusOf(transfer);
        const done = transfer.fromShard === transfer.toShard ? status === 'final' : status === 'credited';
        if (!done) {
          if (status === 'unknown' || status === 'pending') await submit(transfer);
          return false;
        }
      }
      return true;
    });
    assert.ok(sent.length >= 20, `only ${sent.length} transfers were sent`);
    assert.ok(sent.some((t) => t.fromShard !== t.toShard));

    // Exactly-once: each recipient holds exactly what was sent to it.
    const expected = new Map<string, bigint>();
    for (const t of sent) expected.set(bytesToHex(t.to), (expected.get(bytesToHex(t.to)) ?? 0n) + t.amount);
    let recipientsTotal = 0n;
    for (const address of recipients.flat()) {
      const held = await balance(address);
      assert.equal(held, expected.get(bytesToHex(address)) ?? 0n, `recipient ${bytesToHex(address)}`);
      recipientsTotal += held;
    }
    // Supply conserved: the faucets plus the recipients hold all of genesis.
    const faucets = await Promise.all(
      faucetKeys.map((key) => balance(addressFromPublicKey(publicKeyFromPrivateKey(key)))),
    );
    const genesisTotal = network.initialBalances.reduce((sum, entry) => sum + entry.amount, 0n);
    assert.equal(faucets[0]! + faucets[1]! + recipientsTotal, genesisTotal);

    // A cross-shard status from the original hash alone shows each stage.
    const cross = sent.find((t) => t.fromShard === 0 && t.toShard === 1)!;
    const status = (await rpc(alive(0)[0]!, 'shardpay_getTransactionStatus', { txId: cross.id })) as {
      stages: Array<{ stage: string; shard: number }>;
    };
    assert.deepEqual(
      status.stages.map((s) => [s.stage, s.shard]),
      [
        ['final', 0],
        ['credited', 1],
      ],
    );
  });
});
