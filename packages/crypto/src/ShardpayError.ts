/**
 * The one base error of every Shardpay package. Match on `code` (stable, SCREAMING_SNAKE),
 * never on message text. `meta` carries structured details; `cause` the underlying error.
 * The registry of codes is `ErrorCode` in `@shardpay/protocol`.
 *
 * @example
 *   throw new ShardpayError('INSUFFICIENT_FUNDS', 'balance 5.000000 is below 7.000000', { meta: { balance, needed } });
 */
export class ShardpayError extends Error {
  override readonly name = 'ShardpayError';
  readonly code: string;
  readonly meta: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { meta?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.meta = options.meta ?? {};
  }
}

export function isShardpayError(value: unknown, code?: string): value is ShardpayError {
  return value instanceof ShardpayError && (code === undefined || value.code === code);
}
