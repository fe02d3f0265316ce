import { ShardpayError } from '@shardpay/crypto';

/**
 * Every code `@shardpay/p2p` throws. Match on these, never on message text. A refusal sent by a
 * remote request handler arrives as `P2P_REMOTE_ERROR` with the remote's own code in
 * `meta.remoteCode`, so a peer can never make us throw one of our local codes.
 */
export type P2PErrorCode =
  | 'P2P_INVALID_OPTIONS'
  | 'P2P_INVALID_VALIDATOR_KEY'
  | 'P2P_INVALID_PUBLIC_KEY'
  | 'P2P_INVALID_PEER_ID'
  | 'P2P_INVALID_MULTIADDR'
  | 'P2P_INVALID_TOPIC'
  | 'P2P_NOT_STARTED'
  | 'P2P_MESSAGE_TOO_LARGE'
  | 'P2P_PUBLISH_FAILED'
  | 'P2P_DIAL_FAILED'
  | 'P2P_REQUEST_TOO_LARGE'
  | 'P2P_RESPONSE_TOO_LARGE'
  | 'P2P_REQUEST_TIMEOUT'
  | 'P2P_REQUEST_FAILED'
  | 'P2P_MALFORMED_RESPONSE'
  | 'P2P_PEER_BANNED'
  | 'P2P_PEER_NOT_ALLOWED'
  | 'P2P_REMOTE_ERROR'
  | 'P2P_HANDLER_FAILED'
  | 'P2P_HANDLER_TIMEOUT';

/** Builds the `ShardpayError` for a p2p code. */
export function p2pError(
  code: P2PErrorCode,
  message: string,
  meta: Record<string, unknown> = {},
  cause?: unknown,
): ShardpayError {
  return new ShardpayError(code, message, cause === undefined ? { meta } : { meta, cause });
}
