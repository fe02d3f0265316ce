/**
 * Flag readers of the commerce commands (escrow, multisig, issuer, merchant, invoice). Each refuses
 * before any request is made, naming the flag: a missing flag is USAGE, a bad amount AMOUNT_INVALID,
 * a bad address ADDRESS_INVALID.
 */
import { decodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { parseAmount } from '@shardpay/protocol';

export type FlagValues = Record<string, string | boolean | undefined>;

/** A string flag that must be there. */
export function requireFlag(values: FlagValues, flag: string, what: string, usage: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') {
    throw new ShardpayError(
      'USAGE',
      `--${flag} ${what} is required (${usage.split(' ').slice(0, 3).join(' ')} --help)`,
      {
        meta: { flag },
      },
    );
  }
  return value;
}

/** An optional string flag. */
export function optionalFlag(values: FlagValues, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

/** Minor units of an amount flag that may be 0 (a settlement's buyer share). */
export function parseAmountOrZeroFlag(value: string | boolean | undefined, flag: string): bigint {
  if (typeof value !== 'string') {
    throw new ShardpayError('USAGE', `--${flag} A is required (dollars, 0 allowed)`, { meta: { flag } });
  }
  try {
    return parseAmount(value, { allowZero: true });
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    throw new ShardpayError(error.code, `--${flag}: ${error.message}`, {
      meta: { type: 'invalid_request_error', flag },
    });
  }
}

/**
 * A bech32m address as text, checked for its checksum and form before the network is known (its
 * prefix is checked against the network later). ADDRESS_INVALID naming the flag; never echoes it.
 */
export function parseAddressText(text: string, flag: string): string {
  const separator = text.lastIndexOf('1');
  try {
    if (separator < 1) throw new Error('no prefix');
    decodeAddress(text, text.slice(0, separator).toLowerCase());
  } catch {
    throw new ShardpayError('ADDRESS_INVALID', `--${flag} is not an address (bech32m, e.g. spd1…)`, {
      meta: { type: 'invalid_request_error', flag },
    });
  }
  return text.toLowerCase();
}

const unitMs: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration like `90s`, `15m`, `2h`, `7d` in milliseconds; USAGE naming the flag otherwise. */
export function parseDuration(value: string, flag: string): number {
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(value.trim());
  if (!match) {
    throw new ShardpayError('USAGE', `--${flag} takes a duration such as 90s, 15m, 2h or 7d`, {
      meta: { flag },
    });
  }
  return Number(match[1]) * unitMs[match[2]!]!;
}

/** A deadline: a duration from `now` (`7d`) or an ISO 8601 time in the future; ms since the epoch. */
export function parseDeadline(value: string, flag: string, now: number): number {
  if (/^[0-9]+[smhd]$/.test(value.trim())) return now + parseDuration(value, flag);
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) {
    throw new ShardpayError(
      'USAGE',
      `--${flag} takes a duration (7d, 12h) or an ISO time (2030-01-31T12:00:00Z)`,
      {
        meta: { flag },
      },
    );
  }
  if (at <= now) {
    throw new ShardpayError('USAGE', `--${flag} is in the past`, { meta: { flag } });
  }
  return at;
}

/** A 64-hex id (escrow id, transaction id) given as a positional argument. */
export function parseHashArgument(value: string | undefined, what: string, usage: string): string {
  if (value === undefined) throw new ShardpayError('USAGE', `usage: ${usage}`);
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new ShardpayError('PARAMETER_INVALID', `${what} is 64 hex characters`, {
      meta: { type: 'invalid_request_error' },
    });
  }
  return value.toLowerCase();
}

/** A typed gateway id (`mer_…`, `inv_…`, `mk_…`, `we_…`, `whd_…`) given as a positional argument. */
export function parseTypedId(value: string | undefined, prefix: string, what: string, usage: string): string {
  if (value === undefined) throw new ShardpayError('USAGE', `usage: ${usage}`);
  if (!value.startsWith(`${prefix}_`) || !/^[a-z]+_[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new ShardpayError('PARAMETER_INVALID', `${what} is an id starting ${prefix}_`, {
      meta: { type: 'invalid_request_error' },
    });
  }
  return value;
}

/** The subcommand (first positional) among `allowed`, and the rest. */
export function subcommandOf(
  positionals: string[],
  allowed: readonly string[],
  usage: string,
): { sub: string; rest: string[] } {
  const [sub, ...rest] = positionals;
  if (sub === undefined || !allowed.includes(sub)) {
    throw new ShardpayError(
      'USAGE',
      `${sub === undefined ? 'a subcommand is required' : `unknown subcommand "${sub}"`}; usage: ${usage}`,
    );
  }
  return { sub, rest };
}
