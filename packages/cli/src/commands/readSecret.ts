import { ShardpayError } from '@shardpay/crypto';

export interface ReadSecretOptions {
  /** The environment variable that gives it to scripts (SHARDPAY_PASSPHRASE, SHARDPAY_PASSWORD). */
  variable: 'SHARDPAY_PASSPHRASE' | 'SHARDPAY_PASSWORD';
  /** What to call it in the prompt: "wallet passphrase", "account password". */
  what: string;
  /** Ask twice and compare (when choosing a new one). */
  confirm?: boolean;
  /** Refuse shorter answers (a prompt asks again; a variable is refused). */
  minLength?: number;
}

/**
 * A passphrase or password: from its environment variable when set (for scripts), otherwise from a
 * hidden prompt on the terminal (asked twice for a new one). Never echoed, never logged. Without a
 * terminal and without the variable: INPUT_REQUIRED naming the variable.
 */
export async function readSecret(options: ReadSecretOptions): Promise<string> {
  const minLength = options.minLength ?? 1;
  const fromEnvironment = process.env[options.variable];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    if (fromEnvironment.length < minLength) {
      throw new ShardpayError(
        'PARAMETER_INVALID',
        `${options.variable} is too short: the ${options.what} needs at least ${minLength} characters`,
        { meta: { type: 'invalid_request_error' } },
      );
    }
    return fromEnvironment;
  }
  if (!process.stdin.isTTY) {
    throw new ShardpayError(
      'INPUT_REQUIRED',
      `the ${options.what} is needed: set ${options.variable} (there is no terminal to ask on)`,
      { meta: { type: 'invalid_request_error', variable: options.variable } },
    );
  }
  // Loaded only when a prompt is really shown: scripts never pay for it.
  const { default: password } = await import('@inquirer/password');
  const context = { output: process.stderr };
  const validate = (value: string) => value.length >= minLength || `at least ${minLength} characters, please`;
  const first = await password({ message: `${options.what}:`, mask: true, validate }, context);
  if (options.confirm) {
    const second = await password({ message: `${options.what} again:`, mask: true }, context);
    if (second !== first) {
      throw new ShardpayError('PASSPHRASE_MISMATCH', `the two ${options.what}s differ; nothing was changed`, {
        meta: { type: 'invalid_request_error' },
      });
    }
  }
  return first;
}
