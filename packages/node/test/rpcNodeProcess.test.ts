/** The validator process around the RPC: its config loader, its entry point and its launcher. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { networkConfigToJson } from '@shardpay/protocol';
import { loadNodeConfig } from '../src/loadNodeConfig.ts';
import { main, type NodeMainDependencies } from '../src/main.ts';
import { defaultNodeSettings } from '../src/NodeConfig.ts';
import { createTestNetwork, createTestNode, type TestNode } from './rpcTestNode.ts';

const folder = mkdtempSync(join(tmpdir(), 'shardpay-node-config-'));
const genesis = createTestNetwork();
writeFileSync(join(folder, 'genesis.json'), JSON.stringify(networkConfigToJson(genesis.config)));

const minimal = {
  genesisPath: 'genesis.json',
  keyPath: 'v/key.json',
  dataDir: 'v/data',
  shard: 1,
  validatorIndex: 2,
  rpc: { host: '127.0.0.1', port: 0 },
};

let fileCount = 0;
function writeConfig(value: unknown): string {
  const path = join(folder, `config-${fileCount++}.json`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

async function refusal(value: unknown): Promise<{ field: unknown; reason: unknown; message: string }> {
  try {
    await loadNodeConfig(writeConfig(value));
  } catch (error) {
    assert.ok(isShardpayError(error, 'NODE_CONFIG_INVALID'), String(error));
    return { field: error.meta.field, reason: error.meta.reason, message: error.message };
  }
  assert.fail('the config was accepted');
}

after(() => rmSync(folder, { recursive: true, force: true }));

describe('loadNodeConfig', () => {
  it('fills defaults, resolves paths against the file and listens on the genesis addresses', async () => {
    const config = await loadNodeConfig(writeConfig(minimal));
    assert.equal(config.genesisPath, join(folder, 'genesis.json'));
    assert.equal(config.keyPath, join(folder, 'v', 'key.json'));
    assert.equal(config.dataDir, join(folder, 'v', 'data'));
    assert.deepEqual(config.p2p.listen, genesis.config.committees[1]!.validators[2]!.addresses);
    assert.deepEqual(config.consensus, defaultNodeSettings.consensus);
    assert.deepEqual(config.block, defaultNodeSettings.block);
    assert.deepEqual(config.mempool, defaultNodeSettings.mempool);
    assert.equal(config.signatureThreads, defaultNodeSettings.signatureThreads);
  });

  it('takes partial overrides and explicit listen addresses', async () => {
    const config = await loadNodeConfig(
      writeConfig({
        ...minimal,
        genesisPath: join(folder, 'genesis.json'),
        p2p: { listen: ['/ip4/0.0.0.0/tcp/9100'] },
        consensus: { proposeBaseMs: 300 },
        block: { minIntervalMs: 0 },
        mempool: { maxNonceGap: 0 },
        signatureThreads: 2,
      }),
    );
    assert.equal(config.genesisPath, join(folder, 'genesis.json'));
    assert.deepEqual(config.p2p.listen, ['/ip4/0.0.0.0/tcp/9100']);
    assert.deepEqual(config.consensus, { ...defaultNodeSettings.consensus, proposeBaseMs: 300 });
    assert.equal(config.block.minIntervalMs, 0);
    assert.equal(config.block.maxTransactions, defaultNodeSettings.block.maxTransactions);
    assert.equal(config.mempool.maxNonceGap, 0);
    assert.equal(config.signatureThreads, 2);
  });

  it('refuses malformed configs with an error naming the field', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ ...minimal, extra: 1 }, 'extra', 'unknown_field'],
      [{ ...minimal, keyPath: undefined }, 'keyPath', 'missing_field'],
      [{ ...minimal, dataDir: '' }, 'dataDir', 'wrong_type'],
      [{ ...minimal, shard: '1' }, 'shard', 'out_of_range'],
      [{ ...minimal, shard: 2 }, 'shard', 'out_of_range'],
      [{ ...minimal, validatorIndex: 4 }, 'validatorIndex', 'out_of_range'],
      [{ ...minimal, rpc: { host: '127.0.0.1', port: 70000 } }, 'rpc.port', 'out_of_range'],
      [{ ...minimal, rpc: { host: '127.0.0.1' } }, 'rpc.port', 'missing_field'],
      [{ ...minimal, rpc: [] }, 'rpc', 'wrong_type'],
      [{ ...minimal, p2p: { listen: [] } }, 'p2p.listen', 'wrong_type'],
      [{ ...minimal, p2p: { listen: ['tcp://x'] } }, 'p2p.listen[0]', 'invalid_value'],
      [{ ...minimal, consensus: { proposeMs: 5 } }, 'consensus.proposeMs', 'unknown_field'],
      [{ ...minimal, consensus: { proposeBaseMs: 0 } }, 'consensus.proposeBaseMs', 'out_of_range'],
      [{ ...minimal, block: { maxBytes: 1.5 } }, 'block.maxBytes', 'out_of_range'],
      [{ ...minimal, signatureThreads: 0 }, 'signatureThreads', 'out_of_range'],
      [{ ...minimal, genesisPath: 'missing.json' }, 'genesisPath', 'unreadable'],
      [{ ...minimal, genesisPath: writeConfig('{"chainId": 1}') }, 'genesisPath', 'invalid_genesis'],
      ['{"genesisPath": ', '', 'not_json'],
      [[minimal], '', 'wrong_type'],
    ];
    for (const [value, field, reason] of cases) {
      const refused = await refusal(value);
      assert.deepEqual([refused.field, refused.reason], [field, reason], refused.message);
      if (field !== '') assert.ok(refused.message.includes(field), refused.message);
    }
    await assert.rejects(loadNodeConfig(join(folder, 'nope.json')), (error) =>
      isShardpayError(error, 'NODE_CONFIG_INVALID'),
    );
  });
});

/** main() with a test-double node, captured output, and stop requests under the test's control. */
function harness(overrides: Partial<NodeMainDependencies> = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const errors: string[] = [];
  const nodes: TestNode[] = [];
  const events: string[] = [];
  let requestStop: ((reason: string) => void) | undefined;
  const deps: NodeMainDependencies = {
    loadConfig: loadNodeConfig,
    async createNode(config) {
      const node = createTestNode(genesis.config, config.shard, config.validatorIndex);
      node.start = async () => {
        events.push('node started');
      };
      node.stop = async () => {
        events.push('node stopped');
      };
      nodes.push(node);
      return node;
    },
    writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    writeError: (message) => errors.push(message),
    onStopRequest(listener) {
      requestStop = listener;
      return () => {
        requestStop = undefined;
      };
    },
    exit: (code) => events.push(`exit ${code}`),
    now: () => new Date(0),
    ...overrides,
  };
  return {
    deps,
    lines,
    errors,
    nodes,
    events,
    stop: (reason: string) => requestStop?.(reason),
    async waitForLine(event: string): Promise<Record<string, unknown>> {
      const deadline = Date.now() + 5000;
      for (;;) {
        const line = lines.find((l) => l.event === event);
        if (line) return line;
        if (Date.now() > deadline) throw new Error(`no ${event} line in ${JSON.stringify(lines)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

describe('shardpay-node main', () => {
  it('serves RPC, logs JSON lines and stops RPC before the node on a stop request', async () => {
    const h = harness();
    const running = main(['--config', writeConfig(minimal)], h.deps);
    const started = await h.waitForLine('rpc_started');
    assert.equal(started.shard, 1);
    assert.equal(started.validator, 2);
    const url = String(started.url);
    assert.equal(await (await fetch(`${url}/health`)).text(), 'ok\n');
    const node = h.nodes[0]!;
    node.stop = async () => {
      // The RPC port is closed before the node stops: no call reaches a stopping node.
      await assert.rejects(fetch(`${url}/health`));
      h.events.push('node stopped');
    };
    h.stop('SIGTERM');
    h.stop('SIGINT');
    assert.equal(await running, 0);
    assert.deepEqual(h.events, ['node started', 'exit 1', 'node stopped']);
    assert.deepEqual(
      h.lines.map((l) => l.event),
      // The second request forces the exit (a no-op here), while the first one's orderly stop goes on.
      ['rpc_started', 'forced_exit', 'stopping', 'stopped'],
    );
    assert.equal(h.lines.find((l) => l.event === 'stopping')!.reason, 'SIGTERM');
    assert.equal(h.lines.find((l) => l.event === 'forced_exit')!.reason, 'SIGINT');
    assert.ok(h.lines.every((l) => l.time === '1970-01-01T00:00:00.000Z'));
  });

  it('honours a stop request that arrives while starting', async () => {
    const h = harness();
    h.deps.createNode = async (config) => {
      h.stop('SIGINT');
      return createTestNode(genesis.config, config.shard, config.validatorIndex);
    };
    assert.equal(await main(['--config', writeConfig(minimal)], h.deps), 0);
    assert.deepEqual(
      h.lines.map((l) => l.event),
      ['rpc_started', 'stopping', 'stopped'],
    );
  });

  it('exits 1 with a clear message on a bad config, and 2 on bad usage', async () => {
    const h = harness();
    assert.equal(await main(['--config', writeConfig({ ...minimal, shard: 9 })], h.deps), 1);
    assert.match(h.errors[0]!, /bad config: .*shard: genesis has shards 0\.\.1, not 9/);
    assert.equal(h.lines[0]!.event, 'config_invalid');
    assert.equal((h.lines[0]!.error as { code: string }).code, 'NODE_CONFIG_INVALID');
    assert.deepEqual(h.nodes, []);
    assert.equal(await main([], h.deps), 2);
    assert.equal(await main(['--config'], h.deps), 2);
    assert.equal(await main(['--config', 'a', '--verbose'], h.deps), 2);
    assert.match(h.errors.at(-1)!, /usage: shardpay-node --config FILE/);
  });

  it('exits 1 naming the port when the RPC port is taken, after stopping the node', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const h = harness();
      const code = await main(
        ['--config', writeConfig({ ...minimal, rpc: { host: '127.0.0.1', port } })],
        h.deps,
      );
      assert.equal(code, 1);
      assert.match(h.errors[0]!, new RegExp(`RPC port 127\\.0\\.0\\.1:${port} is already in use`));
      assert.deepEqual(h.events, ['node started', 'node stopped']);
    } finally {
      blocker.close();
    }
  });

  it('the launcher runs on Node 24 and refuses a bad config with exit code 1', () => {
    const bin = join(import.meta.dirname, '..', 'bin', 'shardpay-node.js');
    const result = spawnSync(process.execPath, [bin, '--config', writeConfig({ ...minimal, rpc: 5 })], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /bad config: .*rpc: expected an object/);
    const logged = JSON.parse(result.stdout.trim().split('\n')[0]!) as { event: string };
    assert.equal(logged.event, 'config_invalid');
  });
});
