/**
 * The commerce commands refuse bad arguments before any request: exit 1 with the JSON error shape and
 * a message naming the flag, without a devnet or a gateway (the gateway URL points at a closed port,
 * so a command that wrongly went on would fail with gateway_unreachable instead).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseArgs } from 'node:util';
import { ShardpayError } from '@shardpay/crypto';
import { parseDeadline, parseDuration } from '../src/commands/commerceFlags.ts';
import { escrowCommand } from '../src/commands/escrow.ts';
import { invoiceCommand } from '../src/commands/invoice.ts';
import { issuerCommand } from '../src/commands/issuer.ts';
import { merchantCommand } from '../src/commands/merchant.ts';
import { multisigCommand, parseSignatures } from '../src/commands/multisig.ts';
import { webhookCommand } from '../src/commands/webhook.ts';
import type { Command } from '../src/main.ts';
import { errorToBody, type Output } from '../src/output.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'shardpay.js');
const home = mkdtempSync(join(tmpdir(), 'shardpay-cli-commerce-args-'));
after(() => rmSync(home, { recursive: true, force: true }));
const cliEnv = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  SHARDPAY_HOME: home,
  SHARDPAY_GATEWAY: 'http://127.0.0.1:9',
  SHARDPAY_PASSPHRASE: 'unused',
};

// A valid bech32m address of no network in particular (the checks here are local only).
const ADDRESS = 'spd1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc523lgyc';
const HASH = 'ab'.repeat(32);

function spawnRun(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], { env: cliEnv, cwd: home });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const commands: Record<string, Command> = {
  escrow: escrowCommand,
  multisig: multisigCommand,
  issuer: issuerCommand,
  merchant: merchantCommand,
  invoice: invoiceCommand,
  webhook: webhookCommand,
};

/**
 * Parses and runs a command in this process as `main` does (fast: no Node start per case), with its
 * output captured; the real bin is spawned once per command below to show the same shape and exit code.
 */
async function runInProcess(args: string[]): Promise<{ status: number; stdout: string }> {
  const [name, ...rest] = args;
  const command = commands[name!]!;
  let stdout = '';
  const output: Output = {
    json: true,
    progress() {},
    result(value) {
      stdout += `${JSON.stringify(value)}\n`;
    },
  };
  const saved = { ...process.env };
  Object.assign(process.env, cliEnv);
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new ShardpayError('USAGE', (error as Error).message);
    }
    return { status: await command.run(parsed as Parameters<Command['run']>[0], output), stdout };
  } catch (error) {
    return { status: 1, stdout: `${JSON.stringify(errorToBody(error))}\n` };
  } finally {
    process.env = saved;
  }
}

/** exit 1 and exactly `{"error":{type,code,message}}` with `code`; the message. */
function assertRefused(
  args: string[],
  result: { status: number | null; stdout: string },
  code: string,
): string {
  assert.equal(result.status, 1, `${args.join(' ')}: ${result.stdout}`);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON line: ${result.stdout}`);
  const body = JSON.parse(lines[0]!) as { error: { type: string; code: string; message: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'type']);
  assert.equal(body.error.code, code, `${args.join(' ')}: ${body.error.message}`);
  assert.equal(body.error.type, 'invalid_request_error');
  return body.error.message;
}

const refused = async (args: string[], code: string) => assertRefused(args, await runInProcess(args), code);

describe('commerce commands: argument errors without a network', () => {
  it('asks for a subcommand and refuses unknown ones (the real bin, once per command)', async () => {
    const commands = ['escrow', 'multisig', 'issuer', 'merchant', 'invoice', 'webhook'];
    const runs = await Promise.all(commands.map((command) => spawnRun([command])));
    for (const [index, command] of commands.entries()) {
      assert.match(assertRefused([command], runs[index]!, 'usage'), /subcommand is required/);
    }
    assert.match(await refused(['escrow', 'steal', HASH], 'usage'), /unknown subcommand "steal"/);
    assert.match(await refused(['escrow', 'lock', '--colour', 'red'], 'usage'), /colour/);
  });

  it('names a missing flag', async () => {
    const lock = ['escrow', 'lock', '--wallet', 'buyer', '--merchant', ADDRESS, '--amount', '5'];
    assert.match(
      await refused(['escrow', 'lock', '--wallet', 'buyer'], 'usage'),
      /--merchant .* is required/,
    );
    assert.match(await refused([...lock, '--deadline', '7d'], 'usage'), /--order-id .* is required/);
    assert.match(await refused([...lock, '--order-id', 'o'], 'usage'), /--deadline .* is required/);
    assert.match(await refused(['escrow', 'release', HASH], 'usage'), /--wallet .* is required/);
    assert.match(await refused(['escrow', 'settle', HASH, '--wallet', 'a'], 'usage'), /--buyer-amount/);
    assert.match(await refused(['multisig', 'create', '--wallet', 'c'], 'usage'), /--owners .* is required/);
    assert.match(
      await refused(
        ['multisig', 'send', ADDRESS, '--to', ADDRESS, '--amount', '1', '--wallet', 'p'],
        'usage',
      ),
      /--signature/,
    );
    assert.match(
      await refused(['merchant', 'keys', 'create', 'mer_abc'], 'usage'),
      /--scopes .* is required/,
    );
    assert.match(await refused(['invoice', 'pay', 'inv_abc'], 'usage'), /--wallet .* is required/);
  });

  it('refuses a bad amount, address, id, duration or signature, naming it', async () => {
    const lock = ['escrow', 'lock', '--wallet', 'buyer', '--order-id', 'o', '--deadline', '7d'];
    assert.match(
      await refused([...lock, '--merchant', ADDRESS, '--amount', '1.0000001'], 'amount_invalid'),
      /--amount/,
    );
    assert.match(
      await refused([...lock, '--merchant', ADDRESS, '--amount=-3'], 'amount_invalid'),
      /--amount/,
    );
    assert.match(
      await refused([...lock, '--merchant', 'spd1nothing', '--amount', '3'], 'address_invalid'),
      /--merchant/,
    );
    assert.match(
      await refused([...lock, '--merchant', ADDRESS, '--amount', '3', '--arbiter', 'bob'], 'address_invalid'),
      /--arbiter/,
    );
    assert.match(
      await refused(
        [
          'escrow',
          'lock',
          '--wallet',
          'b',
          '--order-id',
          'o',
          '--merchant',
          ADDRESS,
          '--amount',
          '3',
          '--deadline',
          'soon',
        ],
        'usage',
      ),
      /--deadline takes a duration/,
    );
    assert.match(await refused(['escrow', 'show', 'nothex'], 'parameter_invalid'), /64 hex/);
    assert.match(
      await refused(['escrow', 'settle', HASH, '--wallet', 'a', '--buyer-amount', 'x'], 'amount_invalid'),
      /--buyer-amount/,
    );
    assert.match(await refused(['multisig', 'show', 'nope'], 'address_invalid'), /account/);
    assert.match(
      await refused(['multisig', 'create', '--wallet', 'c', '--owners', '02ab'], 'key_invalid'),
      /--owners/,
    );
    assert.match(
      await refused(
        [
          'multisig',
          'send',
          ADDRESS,
          '--to',
          ADDRESS,
          '--amount',
          '1',
          '--wallet',
          'p',
          '--signature',
          '0:zz',
        ],
        'usage',
      ),
      /INDEX:HEX/,
    );
    assert.match(await refused(['merchant', 'keys', 'list', 'inv_x'], 'parameter_invalid'), /mer_/);
    assert.match(
      await refused(['merchant', 'keys', 'create', 'mer_abc', '--scopes', 'invoices:steal'], 'usage'),
      /invoices:steal/,
    );
    assert.match(await refused(['invoice', 'create', '--amount', '0'], 'amount_invalid'), /--amount/);
    assert.match(
      await refused(['invoice', 'create', '--amount', '1', '--expires-in', '8d'], 'usage'),
      /1s to 7d/,
    );
    assert.match(
      await refused(['invoice', 'create', '--amount', '1', '--arbiter', 'spd1x'], 'usage'),
      /go with --escrow/,
    );
    assert.match(await refused(['invoice', 'list', '--status', 'paid'], 'usage'), /--status/);
    assert.match(await refused(['invoice', 'list', '--merchant', 'acme'], 'usage'), /mer_/);
    assert.match(await refused(['invoice', 'show', 'pay_123'], 'parameter_invalid'), /inv_/);
    assert.match(await refused(['issuer', 'pause', '--shard', '1', '--all'], 'usage'), /--all/);
    assert.match(await refused(['issuer', 'freeze'], 'usage'), /usage/);
  });

  it('needs a devnet folder (or --nodes) for on-chain commands', async () => {
    assert.match(
      await refused(['escrow', 'show', HASH, '--dir', join(home, 'none')], 'devnet_not_found'),
      /--nodes/,
    );
    assert.match(await refused(['escrow', 'show', HASH, '--nodes', 'ftp://x'], 'usage'), /--nodes/);
  });

  it('reads durations, deadlines and signatures', () => {
    assert.equal(parseDuration('15m', 'x'), 900_000);
    assert.equal(parseDuration('7d', 'x'), 604_800_000);
    assert.throws(() => parseDuration('0m', 'x'), /duration/);
    const now = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(parseDeadline('2h', 'deadline', now), now + 7_200_000);
    assert.equal(parseDeadline('2030-01-02T00:00:00Z', 'deadline', now), now + 86_400_000);
    assert.throws(() => parseDeadline('2029-12-31T00:00:00Z', 'deadline', now), /in the past/);
    const signatures = parseSignatures([`1:${'ab'.repeat(64)}`, `0:${'cd'.repeat(64)},2:${'ef'.repeat(64)}`]);
    assert.deepEqual(
      signatures.map((s) => [s.ownerIndex, s.signature.length]),
      [
        [1, 64],
        [0, 64],
        [2, 64],
      ],
    );
  });
});
