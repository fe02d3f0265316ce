/**
 * The devnet supervisor with a stand-in validator program (test/fixtures/fakeNode.ts): real child
 * processes, real RPC servers and ports, but blocks every 100 ms instead of consensus. The devnet with
 * real validators is tested end to end at the top level.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { callNodeRpc } from '../src/devnet/callNodeRpc.ts';
import { findFreeDevnetPort } from '../src/devnet/findFreeDevnetPort.ts';
import { queryDevnetStatus } from '../src/devnet/queryDevnetStatus.ts';
import { type DevnetEvent, startDevnet } from '../src/devnet/startDevnet.ts';

const fakeNode = join(import.meta.dirname, 'fixtures', 'fakeNode.ts');
const root = mkdtempSync(join(tmpdir(), 'shardpay-supervisor-'));
after(() => rmSync(root, { recursive: true, force: true }));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startDevnet (supervisor)', () => {
  const dir = join(root, 'net');

  it('starts every validator, waits for blocks, reports a death, stops all, and resumes', async () => {
    const port = await findFreeDevnetPort(2, 2);
    const events: DevnetEvent[] = [];
    const devnet = await startDevnet({
      dir,
      shards: 2,
      validators: 2,
      port,
      nodeBin: fakeNode,
      gateway: false,
      pollIntervalMs: 100,
      readyTimeoutMs: 30_000,
      onEvent: (event) => events.push(event),
    });
    try {
      assert.equal(events[0]!.type, 'generated');
      assert.deepEqual(devnet.shards, [
        { id: 0, rpc: [`http://127.0.0.1:${port + 10}`, `http://127.0.0.1:${port + 11}`] },
        { id: 1, rpc: [`http://127.0.0.1:${port + 12}`, `http://127.0.0.1:${port + 13}`] },
      ]);
      assert.equal(devnet.urls.length, 4);
      assert.equal(devnet.alive(), 4);
      assert.equal(events.at(-1)!.type, 'ready');
      const progress = events.filter((e) => e.type === 'progress');
      assert.ok(progress.length >= 1);
      const info = (await callNodeRpc(devnet.urls[3]!, 'shardpay_networkInfo', {}, { timeoutMs: 2000 })) as {
        shard: number;
        validatorIndex: number;
      };
      assert.deepEqual([info.shard, info.validatorIndex], [1, 1]);

      // A validator that dies is reported, never restarted.
      const started = events.filter((e) => e.type === 'validator-started');
      const victim = started.find((e) => e.shard === 0 && e.index === 1)!;
      process.kill(victim.pid, 'SIGKILL');
      await waitFor(() => events.some((e) => e.type === 'validator-exited'), 'the exit report');
      const exited = events.find((e) => e.type === 'validator-exited')!;
      assert.deepEqual(exited, {
        type: 'validator-exited',
        shard: 0,
        index: 1,
        code: null,
        signal: 'SIGKILL',
        log: join(dir, 'logs', 's0-v1.log'),
      });
      assert.equal(devnet.alive(), 3);
      const status = await queryDevnetStatus(dir, devnet.manifest, { timeoutMs: 2000 });
      assert.deepEqual(status.shards[0]!.down, [1]);
      assert.equal(status.shards[1]!.up, 2);
    } finally {
      await devnet.stop();
    }
    await devnet.exited;
    assert.equal(devnet.alive(), 0);
    for (const e of events) if (e.type === 'validator-started') assert.equal(isAlive(e.pid), false);
    // The stand-ins log their stop to the validator's log file.
    assert.match(
      readFileSync(join(dir, 'logs', 's1-v0.log'), 'utf8'),
      /"event":"stopped","reason":"SIGTERM"/,
    );
    assert.equal(
      events.filter((e) => e.type === 'validator-exited').length,
      1,
      'a requested stop is no death',
    );

    const resumedEvents: DevnetEvent[] = [];
    const resumed = await startDevnet({
      dir,
      nodeBin: fakeNode,
      gateway: false,
      pollIntervalMs: 100,
      onEvent: (event) => resumedEvents.push(event),
    });
    try {
      assert.equal(resumedEvents[0]!.type, 'resumed');
      assert.deepEqual(resumed.urls, devnet.urls);
    } finally {
      await resumed.stop();
    }
  });

  it('names the port that is taken and starts nothing', async () => {
    const port = await findFreeDevnetPort(1, 2);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port + 111, '127.0.0.1', resolve));
    try {
      const events: DevnetEvent[] = [];
      await assert.rejects(
        startDevnet({
          dir: join(root, 'taken'),
          shards: 1,
          validators: 2,
          port,
          nodeBin: fakeNode,
          gateway: false,
          onEvent: (e) => events.push(e),
        }),
        (error) =>
          isShardpayError(error, 'PORT_IN_USE') &&
          error.meta.port === port + 111 &&
          error.message.includes('p2p of shard 0 validator 1'),
      );
      assert.equal(events.filter((e) => e.type === 'validator-started').length, 0);
    } finally {
      blocker.close();
    }
  });

  it('fails with the log of a validator that dies while starting, and stops the others', async () => {
    const port = await findFreeDevnetPort(1, 2);
    const events: DevnetEvent[] = [];
    process.env.FAKE_NODE_CRASH = '1';
    try {
      await assert.rejects(
        startDevnet({
          dir: join(root, 'crash'),
          shards: 1,
          validators: 2,
          port,
          nodeBin: fakeNode,
          gateway: false,
          pollIntervalMs: 50,
          onEvent: (e) => events.push(e),
        }),
        (error) =>
          isShardpayError(error, 'DEVNET_START_FAILED') &&
          error.message.includes('exited while the devnet started') &&
          error.message.includes('the fake node was told to crash'),
      );
    } finally {
      delete process.env.FAKE_NODE_CRASH;
    }
    assert.equal(events.at(-1)!.type, 'stopped');
    for (const e of events) if (e.type === 'validator-started') assert.equal(isAlive(e.pid), false);
  });

  it('stops what it started when aborted before ready', async () => {
    const port = await findFreeDevnetPort(1, 1);
    const abort = new AbortController();
    const events: DevnetEvent[] = [];
    await assert.rejects(
      startDevnet({
        dir: join(root, 'aborted'),
        shards: 1,
        validators: 1,
        port,
        nodeBin: fakeNode,
        gateway: false,
        signal: abort.signal,
        onEvent(event) {
          events.push(event);
          if (event.type === 'validator-started') abort.abort(new Error('user pressed Ctrl-C'));
        },
      }),
      /user pressed Ctrl-C/,
    );
    const started = events.find((e) => e.type === 'validator-started');
    assert.ok(started);
    assert.equal(isAlive(started.pid), false);
  });
});
