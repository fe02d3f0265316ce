/**
 * A response on a request/response protocol is one length-prefixed frame whose first byte says
 * what follows: 0x00 and the handler's bytes, or 0x01 and a UTF-8 JSON `{code, message}`.
 */
const OK = 0x00;
const ERROR = 0x01;

/** Remote error codes are SCREAMING_SNAKE, at most 64 characters; anything else is replaced. */
const REMOTE_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_ERROR_MESSAGE_CHARS = 512;

export type DecodedResponse =
  | { ok: true; body: Uint8Array }
  | { ok: false; code: string; message: string }
  | { ok: 'malformed'; reason: string };

/** Frame body for a successful response. */
export function encodeOkResponse(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(body.length + 1);
  frame[0] = OK;
  frame.set(body, 1);
  return frame;
}

/** Frame body for a refusal; the code is sanitised and the message truncated. */
export function encodeErrorResponse(code: string, message: string): Uint8Array {
  const safeCode = REMOTE_CODE_PATTERN.test(code) ? code : 'P2P_HANDLER_FAILED';
  const json = JSON.stringify({ code: safeCode, message: message.slice(0, MAX_ERROR_MESSAGE_CHARS) });
  const text = new TextEncoder().encode(json);
  const frame = new Uint8Array(text.length + 1);
  frame[0] = ERROR;
  frame.set(text, 1);
  return frame;
}

/** Decodes a response frame body; never throws on bad input. */
export function decodeResponse(frame: Uint8Array): DecodedResponse {
  if (frame.length === 0) return { ok: 'malformed', reason: 'empty response frame' };
  if (frame[0] === OK) return { ok: true, body: frame.subarray(1) };
  if (frame[0] !== ERROR) return { ok: 'malformed', reason: `unknown response status ${frame[0]}` };
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(1)));
    if (typeof parsed !== 'object' || parsed === null)
      return { ok: 'malformed', reason: 'error is not an object' };
    const { code, message } = parsed as { code?: unknown; message?: unknown };
    if (typeof code !== 'string' || !REMOTE_CODE_PATTERN.test(code)) {
      return { ok: 'malformed', reason: 'error code is not SCREAMING_SNAKE' };
    }
    return {
      ok: false,
      code,
      message: typeof message === 'string' ? message.slice(0, MAX_ERROR_MESSAGE_CHARS) : '',
    };
  } catch {
    return { ok: 'malformed', reason: 'error frame is not UTF-8 JSON' };
  }
}
