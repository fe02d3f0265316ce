import { isShardpayError } from '@shardpay/crypto';

/** How a command prints: for people by default, exactly one JSON object on stdout with `--json`. */
export interface Output {
  json: boolean;
  /** Progress for people; silent with --json (goes to stderr so stdout stays parseable). */
  progress(message: string): void;
  /** The command's result: `value` as JSON, or `human()` for people. */
  result(value: object, human: () => string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    progress(message) {
      if (!json) process.stderr.write(`${message}\n`);
    },
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
  };
}

/** The error object of CLI.md: `{"error":{"type","code","message"}}`. */
export interface CliErrorBody {
  error: { type: string; code: string; message: string };
}

/** Error types as the gateway names them; a usage mistake is an invalid request. */
export function errorToBody(error: unknown): CliErrorBody {
  if (isShardpayError(error)) {
    const type = typeof error.meta.type === 'string' ? error.meta.type : 'invalid_request_error';
    return { error: { type, code: error.code.toLowerCase(), message: error.message } };
  }
  return {
    error: {
      type: 'api_error',
      code: 'internal_error',
      message: error instanceof Error ? error.message : String(error),
    },
  };
}

/** Prints a failure the way the output mode wants and returns the exit code. */
export function reportFailure(output: Output, error: unknown): number {
  const body = errorToBody(error);
  if (output.json) process.stdout.write(`${JSON.stringify(body)}\n`);
  else process.stderr.write(`error: ${body.error.message} (${body.error.code})\n`);
  return 1;
}
