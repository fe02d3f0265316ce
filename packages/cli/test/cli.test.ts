/** The `shardpay` command as scripts see it: exit codes, one JSON object on stdout, the error shape. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findFreeDevnetPort } from '../src/devnet/findFreeDevnetPort.ts';
import { startDevnet } from '../src/devnet/startDevnet.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'shardpay.js');
const fakeNode = join(import.meta.dirname, 'fixtures', 'fakeNode.ts');
const root = mkdtempSync(join(tmpdir(), 'shardpay-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The one JSON object a --json run prints. */
function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, `expected exactly one line on stdout, got ${JSON.stringify(stdout)}`);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

function assertError(result: ReturnType<typeof run>, code: string): string {
  assert.equal(result.status, 1, result.stderr);
  const body = json(result.stdout) as { error: { type: string; code: string; message: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'type']);
  assert.equal(body.error.code, code);
  assert.equal(body.error.type, 'invalid_request_error');
  return body.error.message;
}

describe('shardpay command line', () => {
  it('prints help and exits 0, or 2 without a command', () => {
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /devnet .*\n.*status/s);
    assert.equal(run([]).status, 2);
    const devnetHelp = run(['devnet', '--help']);
    assert.equal(devnetHelp.status, 0);
    assert.match(devnetHelp.stdout, /--shards S.*--validators N.*--dir DIR.*--port P/);
  });

  it('answers mistakes with the JSON error shape and exit code 1', () => {
    assertError(run(['nope', '--json']), 'unknown_command');
    assertError(run(['status', '--verbose', '--json']), 'usage');
    const closedGateway = ['--gateway', 'http://127.0.0.1:9'];
    const unreachable = run(['status', ...closedGateway, '--json']);
    assert.equal(unreachable.status, 1);
    assert.equal((json(unreachable.stdout).error as { code: string }).code, 'gateway_unreachable');
    assert.match(assertError(run(['devnet', '--shards', '0', '--json']), 'usage'), /--shards/);
    assert.match(assertError(run(['devnet', '--port', 'http', '--json']), 'usage'), /--port/);
    assertError(run(['status', '--dir', join(root, 'missing'), '--json']), 'devnet_not_found');
    const human = run(['status', ...closedGateway]);
    assert.equal(human.status, 1);
    assert.equal(human.stdout, '');
    assert.match(human.stderr, /^error: .*127\.0\.0\.1:9.* \(gateway_unreachable\)\n$/);
  });

  it('status --dir reports each shard from its validators, and which are down', async () => {
    const dir = join(root, 'net');
    const port = await findFreeDevnetPort(2, 2);
    const devnet = await startDevnet({
      dir,
      shards: 2,
      validators: 2,
      port,
      nodeBin: fakeNode,
      gateway: false,
      pollIntervalMs: 100,
    });
    try {
      const up = json(run(['status', '--dir', dir, '--json']).stdout) as {
        chainId: string;
        dir: string;
        shards: Array<{ id: number; height: number; validators: number; up: number; down: number[] }>;
      };
      assert.equal(up.chainId, 'shardpay-devnet');
      assert.deepEqual(
        up.shards.map((s) => [s.id, s.validators, s.up, s.down]),
        [
          [0, 2, 2, []],
          [1, 2, 2, []],
        ],
      );
      assert.ok(up.shards.every((s) => Number.isInteger(s.height) && s.height >= 1));
    } finally {
      await devnet.stop();
    }
    const down = run(['status', '--dir', dir, '--json']);
    assert.equal(down.status, 0);
    const body = json(down.stdout) as {
      shards: Array<{ height: number | null; up: number; down: number[] }>;
    };
    assert.deepEqual(
      body.shards.map((s) => [s.height, s.up, s.down]),
      [
        [null, 0, [0, 1]],
        [null, 0, [0, 1]],
      ],
    );
  });

  it('devnet --json prints one object when ready and stops every validator on SIGINT', async () => {
    const dir = join(root, 'foreground');
    const port = await findFreeDevnetPort(1, 2);
    const child = spawn(
      process.execPath,
      [
        bin,
        'devnet',
        '--shards',
        '1',
        '--validators',
        '2',
        '--port',
        String(port),
        '--dir',
        dir,
        '--no-gateway',
        '--json',
      ],
      { env: { ...process.env, SHARDPAY_NODE_BIN: fakeNode }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('\n')) {
      if (Date.now() > deadline || child.exitCode !== null) assert.fail(`no ready line; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(json(stdout), {
      chainId: 'shardpay-devnet',
      dir,
      gateway: null,
      bank: null,
      oracle: null,
      demoShop: null,
      shards: [{ id: 0, rpc: [`http://127.0.0.1:${port + 10}`, `http://127.0.0.1:${port + 11}`] }],
    });
    assert.equal(stderr, '', 'with --json nothing else is printed while healthy');
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.equal(stdout.trim().split('\n').length, 1);
    const after = json(run(['status', '--dir', dir, '--json']).stdout) as { shards: Array<{ up: number }> };
    assert.equal(after.shards[0]!.up, 0, 'every validator stopped with the supervisor');
  });
});
