export {
  type BootstrapDialer,
  type BootstrapDialerDeps,
  type BootstrapDialerOptions,
  type BootstrapTarget,
  createBootstrapDialer,
  DEFAULT_BOOTSTRAP_DIALER,
} from './createBootstrapDialer.ts';
export {
  createP2PHost,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PROTOCOL_LIMITS,
  type GossipMessage,
  type GossipVerdict,
  type P2PHost,
  type P2PHostHandlers,
  type P2PHostOptions,
  type P2PHostStats,
  type ProtocolLimits,
  type PublishResult,
  RECEIPTS_PROTOCOL,
  type RequestContext,
  type RequestHandler,
  type RequestOptions,
  SYNC_PROTOCOL,
} from './createP2PHost.ts';
export {
  type BanEntry,
  createPeerScoreBook,
  DEFAULT_PEER_SCORING,
  DEFAULT_PENALTIES,
  type PeerScoreBook,
  type PeerScoreBookDependencies,
  type PeerScoringOptions,
  type PenaltyReason,
  type PenaltyResult,
} from './createPeerScoreBook.ts';
export {
  assertGossipTopic,
  GOSSIP_TOPIC_KINDS,
  GOSSIP_TOPIC_VERSION,
  type GossipTopicKind,
  gossipTopic,
  isTopicSafeChainId,
  type ParsedGossipTopic,
  parseGossipTopic,
  shardTopics,
} from './gossipTopic.ts';
export { type P2PErrorCode, p2pError } from './P2PErrorCode.ts';
export { type FrameReadResult, readSingleFrame } from './readSingleFrame.ts';
export {
  type DecodedResponse,
  decodeResponse,
  encodeErrorResponse,
  encodeOkResponse,
} from './responseFrame.ts';
export {
  libp2pKeyFromValidatorKey,
  parsePeerId,
  peerIdFromValidatorKey,
  peerIdFromValidatorPublicKey,
} from './validatorIdentity.ts';
