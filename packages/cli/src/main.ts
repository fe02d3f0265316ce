import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ShardpayError } from '@shardpay/crypto';
import { balanceCommand } from './commands/balance.ts';
import { benchCommand } from './commands/bench.ts';
import { buyCommand } from './commands/buy.ts';
import { cashoutCommand } from './commands/cashout.ts';
import { devnetCommand } from './commands/devnet.ts';
import { escrowCommand } from './commands/escrow.ts';
import { faucetCommand } from './commands/faucet.ts';
import { historyCommand } from './commands/history.ts';
import { invoiceCommand } from './commands/invoice.ts';
import { issuerCommand } from './commands/issuer.ts';
import { loginCommand } from './commands/login.ts';
import { logoutCommand } from './commands/logout.ts';
import { merchantCommand } from './commands/merchant.ts';
import { multisigCommand } from './commands/multisig.ts';
import { reservesCommand } from './commands/reserves.ts';
import { sendCommand } from './commands/send.ts';
import { signupCommand } from './commands/signup.ts';
import { statusCommand } from './commands/status.ts';
import { txCommand } from './commands/tx.ts';
import { walletCommand } from './commands/wallet.ts';
import { webhookCommand } from './commands/webhook.ts';
import { createOutput, type Output, reportFailure } from './output.ts';

/** One subcommand: its flags (node's parseArgs form), a line of help, and what it does. */
export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(
    args: { values: Record<string, string | boolean | undefined>; positionals: string[] },
    output: Output,
  ): Promise<number>;
}

const commands: Record<string, Command> = {
  devnet: devnetCommand,
  status: statusCommand,
  wallet: walletCommand,
  balance: balanceCommand,
  send: sendCommand,
  tx: txCommand,
  history: historyCommand,
  faucet: faucetCommand,
  signup: signupCommand,
  login: loginCommand,
  logout: logoutCommand,
  buy: buyCommand,
  cashout: cashoutCommand,
  reserves: reservesCommand,
  merchant: merchantCommand,
  invoice: invoiceCommand,
  webhook: webhookCommand,
  escrow: escrowCommand,
  multisig: multisigCommand,
  issuer: issuerCommand,
  bench: benchCommand,
};

function help(): string {
  const rows = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return [
    'usage: shardpay <command> [flags] [--json]',
    '',
    'commands:',
    ...rows,
    '',
    'shardpay <command> --help for its flags',
  ].join('\n');
}

/** Runs the `shardpay` command line and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const output = createOutput(json);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    return reportFailure(
      output,
      new ShardpayError('UNKNOWN_COMMAND', `unknown command "${name}"; see shardpay --help`),
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return reportFailure(
      output,
      new ShardpayError(
        'USAGE',
        `${error instanceof Error ? error.message : String(error)}; usage: ${command.usage}`,
      ),
    );
  }
  try {
    return await command.run(parsed as Parameters<Command['run']>[0], output);
  } catch (error) {
    return reportFailure(output, error);
  }
}
