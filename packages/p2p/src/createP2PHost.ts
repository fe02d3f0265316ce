import { createHash } from 'node:crypto';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { gossipsub, type Message, StrictNoSign, TopicValidatorResult } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { Connection, ConnectionGater, PeerId, Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { isShardpayError } from '@shardpay/crypto';
import { encode } from 'it-length-prefixed';
import { createLibp2p } from 'libp2p';
import {
  type BootstrapDialerOptions,
  type BootstrapTarget,
  createBootstrapDialer,
  DEFAULT_BOOTSTRAP_DIALER,
} from './createBootstrapDialer.ts';
import {
  type BanEntry,
  createPeerScoreBook,
  DEFAULT_PEER_SCORING,
  type PeerScoringOptions,
  type PenaltyReason,
  type PenaltyResult,
} from './createPeerScoreBook.ts';
import {
  GOSSIP_TOPIC_KINDS,
  type GossipTopicKind,
  isTopicSafeChainId,
  parseGossipTopic,
} from './gossipTopic.ts';
import { p2pError } from './P2PErrorCode.ts';
import { readSingleFrame } from './readSingleFrame.ts';
import { decodeResponse, encodeErrorResponse, encodeOkResponse } from './responseFrame.ts';
import { libp2pKeyFromValidatorKey, parsePeerId } from './validatorIdentity.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Block sync: request a range of blocks of the host's shard. */
export const SYNC_PROTOCOL = '/shardpay/sync/1';
/** Receipt fetch: request receipts (with proofs) emitted by a source shard. */
export const RECEIPTS_PROTOCOL = '/shardpay/receipts/1';

/** Largest gossip message per topic kind: blocks and receipt batches are big, tx batches small. */
export const DEFAULT_MAX_MESSAGE_BYTES: Readonly<Record<GossipTopicKind, number>> = {
  tx: 512 * KiB,
  consensus: 4 * MiB,
  headers: 256 * KiB,
  receipts: 4 * MiB,
};

export interface ProtocolLimits {
  /** Largest request body; a larger one is refused locally, or resets the stream and penalizes remotely. */
  maxRequestBytes: number;
  /** Largest response body; a larger one resets the stream and penalizes the responder. */
  maxResponseBytes: number;
}

export const DEFAULT_PROTOCOL_LIMITS: Readonly<ProtocolLimits> = {
  maxRequestBytes: 64 * KiB,
  maxResponseBytes: 8 * MiB,
};

/** Room for an error frame, whatever `maxResponseBytes` says. */
const MIN_RESPONSE_FRAME_BYTES = 1 * KiB;
/** Gossipsub RPC frames can carry several messages (IWANT replies) plus control data. */
const RPC_FRAME_MESSAGES = 4;
const RPC_FRAME_OVERHEAD_BYTES = 64 * KiB;

export interface P2PHostOptions {
  /** The validator's 32-byte secp256k1 private key; the peer id is derived from it. */
  validatorKey: Uint8Array;
  chainId: string;
  /** The validator's home shard (informational for the node; topics name their own shard). */
  shard: number;
  /** Multiaddrs to listen on; default `/ip4/127.0.0.1/tcp/0`. */
  listen?: string[];
  /** Multiaddrs to announce instead of the listen addresses (behind NAT or a proxy). */
  announce?: string[];
  /** Multiaddrs with `/p2p/<peer id>`, dialed until connected and redialed when dropped. */
  bootstrap?: string[];
  /** When set, only these peer ids may connect or be dialed (e.g. the committees from genesis). */
  allowedPeers?: Iterable<string> | null;
  /**
   * Peers that scoring never bans nor cuts off (a validator passes its own committee): their
   * penalties are counted and lower their score only to `scoring.protectedScoreFloor`, above
   * gossipsub's thresholds. A 'reject' verdict still drops their message unforwarded.
   */
  protectedPeers?: Iterable<string>;
  /** Per topic kind; missing kinds use `DEFAULT_MAX_MESSAGE_BYTES`. */
  maxMessageBytes?: Partial<Record<GossipTopicKind, number>>;
  /** Per protocol id, for both serving and requesting; missing ones use `DEFAULT_PROTOCOL_LIMITS`. */
  protocolLimits?: Record<string, Partial<ProtocolLimits>>;
  /** Default time a `request` waits for its response. Default 10 s. */
  requestTimeoutMs?: number;
  /** Time a server waits for the request frame after a stream opens. Default 5 s. */
  requestReadTimeoutMs?: number;
  /** Time a request handler may take before the requester gets `P2P_HANDLER_TIMEOUT`. Default 10 s. */
  handlerTimeoutMs?: number;
  scoring?: Partial<PeerScoringOptions>;
  redial?: Partial<BootstrapDialerOptions>;
  /** Inbound connections accepted per second from one IP (devnets run many validators on one host). */
  inboundConnectionsPerSecondPerHost?: number;
  /** Clock for peer scores and bans; default `Date.now`. */
  now?: () => number;
}

export type GossipVerdict = 'accept' | 'reject' | 'ignore';

export interface GossipMessage {
  topic: string;
  chainId: string;
  shard: number;
  kind: GossipTopicKind;
  data: Uint8Array;
  /**
   * The neighbour that relayed it. Messages are unsigned (StrictNoSign), so this is not
   * necessarily the author: authenticity comes from the signatures inside `data`.
   */
  from: string;
  /** Hex sha256 of topic and data; gossipsub deduplicates on it. */
  messageId: string;
}

export interface RequestContext {
  peer: string;
  protocol: string;
  /** Aborted when the handler runs out of time. */
  signal: AbortSignal;
}

/** Serves one request; a thrown `ShardpayError` reaches the requester as its code and message. */
export type RequestHandler = (body: Uint8Array, context: RequestContext) => Promise<Uint8Array>;

export interface P2PHostHandlers {
  /**
   * Validates (and takes) a gossip message, once per message id. 'accept' delivers and forwards
   * it; 'reject' drops it and penalizes the relaying peer; 'ignore' drops it without penalty
   * (use it for anything that depends on local state, such as a stale vote or a used nonce).
   * A handler that throws counts as 'ignore'. Without a handler every message is accepted.
   */
  onGossip?(message: GossipMessage): GossipVerdict | Promise<GossipVerdict>;
  /** Request handlers by protocol id (e.g. `SYNC_PROTOCOL`). */
  requestHandlers?: Record<string, RequestHandler>;
  onPeerConnected?(peer: string): void;
  onPeerDisconnected?(peer: string): void;
  onPeerBanned?(peer: string, reason: PenaltyReason): void;
  /** Errors that are ours, not a peer's (a handler bug, a failed bootstrap dial). */
  onError?(error: unknown, context: string): void;
}

export interface RequestOptions {
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface PublishResult {
  /** Peers the message was sent to directly. */
  recipients: number;
}

export interface P2PHostStats {
  gossipPublished: number;
  gossipReceived: number;
  gossipAccepted: number;
  gossipRejected: number;
  gossipIgnored: number;
  requestsSent: number;
  requestsFailed: number;
  requestsServed: number;
  requestsRefused: number;
  penalties: number;
  bans: number;
}

export interface P2PHost {
  /** Base58 peer id, equal to `peerIdFromValidatorPublicKey` of the validator's public key. */
  readonly peerId: string;
  readonly chainId: string;
  readonly shard: number;
  start(): Promise<void>;
  /** Closes every connection and listener; safe to call twice. */
  stop(): Promise<void>;
  isStarted(): boolean;
  /** Listen addresses with `/p2p/<peer id>`, ready to hand to another host's `bootstrap`. */
  multiaddrs(): string[];
  /** Subscribes to a topic built by `gossipTopic` for this chain (before or after start). */
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /** Topics this host is subscribed to. */
  topics(): string[];
  /** Peers subscribed to `topic` that a publish reaches now (their subscription known, our stream open). */
  subscribers(topic: string): string[];
  /**
   * Peers in this host's gossipsub mesh for `topic`: the ones it forwards others' messages to.
   * A peer joins at its subscription or at the next heartbeat (1 s).
   */
  meshPeers(topic: string): string[];
  /** Publishes a message (a batch of transactions, a vote, a block…) on a topic of this chain. */
  publish(topic: string, data: Uint8Array): Promise<PublishResult>;
  /** Sends one request and returns the response body, or throws a coded error. */
  request(peer: string, protocol: string, body: Uint8Array, options?: RequestOptions): Promise<Uint8Array>;
  /** Dials a multiaddr (with `/p2p/<peer id>`) once. */
  dial(address: string): Promise<void>;
  connectedPeers(): string[];
  /** Lowers a peer's score (e.g. a sync response that failed verification); bans at the threshold. */
  penalize(peer: string, reason: PenaltyReason, points?: number): PenaltyResult;
  peerScore(peer: string): number;
  isBanned(peer: string): boolean;
  bans(): BanEntry[];
  /** Replaces the allow-list (null admits anyone); connected peers no longer allowed are dropped. */
  setAllowedPeers(peers: Iterable<string> | null): void;
  stats(): P2PHostStats;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw p2pError('P2P_INVALID_OPTIONS', `${name} must be a positive integer`, { [name]: value });
  }
}

function parseBootstrapAddress(address: string): BootstrapTarget {
  let peer: string | undefined;
  try {
    peer = multiaddr(address)
      .getComponents()
      .findLast((component) => component.name === 'p2p')?.value;
  } catch (error) {
    throw p2pError('P2P_INVALID_MULTIADDR', `"${address}" is not a multiaddr`, { address }, error);
  }
  if (peer === undefined) {
    throw p2pError('P2P_INVALID_MULTIADDR', `bootstrap address "${address}" has no /p2p/ peer id`, {
      address,
    });
  }
  parsePeerId(peer);
  return { peer, address };
}

/** Resolves with the promise, or rejects when `signal` aborts first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Creates the libp2p host a validator uses: TCP + Noise + Yamux, gossipsub (StrictNoSign,
 * content-addressed message ids, per-topic size limits, handler-driven validation),
 * length-prefixed request/response protocols, peer scoring with bans, an optional allow-list
 * and bootstrap redialing. It moves bytes; what they mean is the caller's business.
 *
 * @example
 *   const host = await createP2PHost({ validatorKey, chainId: 'devnet', shard: 0, bootstrap }, { onGossip });
 *   await host.start();
 *   host.subscribe(gossipTopic('devnet', 0, 'tx'));
 */
export async function createP2PHost(
  options: P2PHostOptions,
  handlers: P2PHostHandlers = {},
): Promise<P2PHost> {
  if (!isTopicSafeChainId(options.chainId)) {
    throw p2pError('P2P_INVALID_OPTIONS', 'chain id must be 1-64 characters of [A-Za-z0-9._-]', {
      chainId: options.chainId,
    });
  }
  if (!Number.isInteger(options.shard) || options.shard < 0) {
    throw p2pError('P2P_INVALID_OPTIONS', 'shard must be a non-negative integer', { shard: options.shard });
  }
  const privateKey = libp2pKeyFromValidatorKey(options.validatorKey);
  const now = options.now ?? Date.now;
  const maxMessageBytes: Record<GossipTopicKind, number> = {
    ...DEFAULT_MAX_MESSAGE_BYTES,
    ...options.maxMessageBytes,
  };
  for (const kind of GOSSIP_TOPIC_KINDS)
    assertPositiveInteger(`maxMessageBytes.${kind}`, maxMessageBytes[kind]);
  const protocolLimits = new Map<string, ProtocolLimits>();
  for (const [protocol, limits] of Object.entries(options.protocolLimits ?? {})) {
    const merged = { ...DEFAULT_PROTOCOL_LIMITS, ...limits };
    assertPositiveInteger(`${protocol} maxRequestBytes`, merged.maxRequestBytes);
    assertPositiveInteger(`${protocol} maxResponseBytes`, merged.maxResponseBytes);
    protocolLimits.set(protocol, merged);
  }
  const limitsFor = (protocol: string): ProtocolLimits =>
    protocolLimits.get(protocol) ?? DEFAULT_PROTOCOL_LIMITS;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const requestReadTimeoutMs = options.requestReadTimeoutMs ?? 5_000;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 10_000;
  assertPositiveInteger('requestTimeoutMs', requestTimeoutMs);
  assertPositiveInteger('requestReadTimeoutMs', requestReadTimeoutMs);
  assertPositiveInteger('handlerTimeoutMs', handlerTimeoutMs);
  const bootstrapTargets = (options.bootstrap ?? []).map(parseBootstrapAddress);
  const scoring: PeerScoringOptions = { ...DEFAULT_PEER_SCORING, ...options.scoring };
  const protectedPeers = new Set(options.protectedPeers ?? []);
  const book = createPeerScoreBook(scoring, { now, isProtected: (peer) => protectedPeers.has(peer) });
  let allowed: Set<string> | null = options.allowedPeers ? new Set(options.allowedPeers) : null;

  const stats: P2PHostStats = {
    gossipPublished: 0,
    gossipReceived: 0,
    gossipAccepted: 0,
    gossipRejected: 0,
    gossipIgnored: 0,
    requestsSent: 0,
    requestsFailed: 0,
    requestsServed: 0,
    requestsRefused: 0,
    penalties: 0,
    bans: 0,
  };

  function report(error: unknown, context: string): void {
    try {
      handlers.onError?.(error, context);
    } catch {
      // A failing error reporter must not take the host down.
    }
  }

  function notify(context: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      report(error, context);
    }
  }

  const isRefused = (peerId: PeerId): boolean => {
    const peer = peerId.toString();
    return book.isBanned(peer) || (allowed !== null && !allowed.has(peer));
  };
  const connectionGater: ConnectionGater = {
    denyDialPeer: isRefused,
    denyInboundEncryptedConnection: isRefused,
    denyOutboundEncryptedConnection: isRefused,
  };

  // Message ids are computed once per message object and reused by the validator.
  const messageIds = new WeakMap<Message, string>();
  const messageIdOf = (message: Message): Uint8Array => {
    const digest = createHash('sha256').update(message.topic).update('\u0000').update(message.data).digest();
    messageIds.set(message, digest.toString('hex'));
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  };

  const largestMessage = Math.max(...GOSSIP_TOPIC_KINDS.map((kind) => maxMessageBytes[kind]));
  const node = await createLibp2p({
    start: false,
    privateKey,
    addresses: {
      listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0'],
      ...(options.announce ? { announce: options.announce } : {}),
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater,
    connectionManager: {
      inboundConnectionThreshold: options.inboundConnectionsPerSecondPerHost ?? 50,
    },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: messageIdOf,
        fallbackToFloodsub: false,
        emitSelf: false,
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        maxInboundDataLength: largestMessage * RPC_FRAME_MESSAGES + RPC_FRAME_OVERHEAD_BYTES,
        scoreParams: {
          // Our own score (rejections, bad frames) drives gossipsub's thresholds; validators
          // share hosts on devnets, so IP colocation is not held against them.
          appSpecificScore: (peer: string) => book.score(peer),
          appSpecificWeight: 1,
          IPColocationFactorWeight: 0,
        },
        scoreThresholds: {
          gossipThreshold: scoring.banThreshold * 0.4,
          publishThreshold: scoring.banThreshold * 0.6,
          graylistThreshold: scoring.banThreshold,
        },
      }),
    },
  });
  const pubsub = node.services.pubsub;
  // Parts of @libp2p/gossipsub's GossipSub class that its exported interface does not declare.
  const router = pubsub as unknown as {
    streamsOutbound?: ReadonlyMap<string, unknown>;
    getMeshPeers?(topic: string): string[];
  };
  const peerId = node.peerId.toString();

  let started = false;
  const subscribed = new Set<string>();

  function penalizePeer(peer: string, reason: PenaltyReason, points?: number): PenaltyResult {
    const result = book.penalize(peer, reason, points);
    stats.penalties += 1;
    if (result.bannedNow) {
      stats.bans += 1;
      notify('onPeerBanned', () => handlers.onPeerBanned?.(peer, reason));
      if (started) {
        node.hangUp(parsePeerId(peer)).catch((error: unknown) => report(error, 'hang up banned peer'));
      }
    }
    return result;
  }

  function assertStarted(): void {
    if (!started) throw p2pError('P2P_NOT_STARTED', 'the p2p host is not started');
  }

  function assertOwnTopic(topic: string): { kind: GossipTopicKind } {
    const parsed = parseGossipTopic(topic);
    if (!parsed || parsed.chainId !== options.chainId) {
      throw p2pError('P2P_INVALID_TOPIC', `"${topic}" is not a gossip topic of chain ${options.chainId}`, {
        topic,
      });
    }
    return parsed;
  }

  async function validateGossip(source: PeerId, message: Message): Promise<TopicValidatorResult> {
    const from = source.toString();
    stats.gossipReceived += 1;
    const parsed = parseGossipTopic(message.topic);
    if (!parsed || parsed.chainId !== options.chainId) {
      stats.gossipRejected += 1;
      penalizePeer(from, 'invalid-message');
      return TopicValidatorResult.Reject;
    }
    if (message.data.length > maxMessageBytes[parsed.kind]) {
      stats.gossipRejected += 1;
      penalizePeer(from, 'oversized-message');
      return TopicValidatorResult.Reject;
    }
    let verdict: GossipVerdict = 'accept';
    if (handlers.onGossip) {
      try {
        verdict = await handlers.onGossip({
          topic: message.topic,
          chainId: parsed.chainId,
          shard: parsed.shard,
          kind: parsed.kind,
          data: message.data,
          from,
          messageId: messageIds.get(message) ?? Buffer.from(messageIdOf(message)).toString('hex'),
        });
      } catch (error) {
        report(error, 'onGossip');
        verdict = 'ignore';
      }
    }
    if (verdict === 'accept') {
      stats.gossipAccepted += 1;
      return TopicValidatorResult.Accept;
    }
    if (verdict === 'reject') {
      stats.gossipRejected += 1;
      penalizePeer(from, 'invalid-message');
      return TopicValidatorResult.Reject;
    }
    stats.gossipIgnored += 1;
    return TopicValidatorResult.Ignore;
  }

  async function serveRequest(
    protocol: string,
    handler: RequestHandler,
    stream: Stream,
    connection: Connection,
  ): Promise<void> {
    const peer = connection.remotePeer.toString();
    const limits = limitsFor(protocol);
    let readTimedOut = false;
    const readTimer = setTimeout(() => {
      readTimedOut = true;
      stream.abort(p2pError('P2P_REQUEST_TIMEOUT', 'no request frame in time'));
    }, requestReadTimeoutMs);
    readTimer.unref();
    const read = await readSingleFrame(stream, limits.maxRequestBytes);
    clearTimeout(readTimer);
    if (!read.ok) {
      stats.requestsRefused += 1;
      if (read.reason === 'oversized') {
        penalizePeer(peer, 'oversized-frame');
        stream.abort(p2pError('P2P_REQUEST_TOO_LARGE', 'request frame over the limit', { protocol }));
      } else if (read.reason === 'malformed' || (read.reason === 'truncated' && !readTimedOut)) {
        penalizePeer(peer, 'malformed-request');
        stream.abort(p2pError('P2P_REQUEST_FAILED', 'malformed request frame', { protocol }));
      } else {
        // The peer went away, or was too slow: nothing to answer, nothing provably wrong.
        stream.abort(p2pError('P2P_REQUEST_FAILED', 'request stream closed', { protocol }));
      }
      return;
    }
    stats.requestsServed += 1;
    const controller = new AbortController();
    const handlerTimer = setTimeout(() => controller.abort(), handlerTimeoutMs);
    // A handler still running when the host stops must not keep the process alive.
    handlerTimer.unref();
    let frame: Uint8Array;
    try {
      const body = await raceAbort(
        handler(read.frame, { peer, protocol, signal: controller.signal }),
        controller.signal,
      );
      if (!(body instanceof Uint8Array)) throw new TypeError('a request handler must return a Uint8Array');
      frame =
        body.length > limits.maxResponseBytes
          ? encodeErrorResponse('P2P_RESPONSE_TOO_LARGE', 'the response is over the protocol limit')
          : encodeOkResponse(body);
    } catch (error) {
      if (controller.signal.aborted) {
        frame = encodeErrorResponse('P2P_HANDLER_TIMEOUT', 'the request handler ran out of time');
      } else if (isShardpayError(error)) {
        frame = encodeErrorResponse(error.code, error.message);
      } else {
        report(error, `request handler ${protocol}`);
        frame = encodeErrorResponse('P2P_HANDLER_FAILED', 'the request handler failed');
      }
    } finally {
      clearTimeout(handlerTimer);
    }
    try {
      stream.send(encode.single(frame));
      // A requester that stops reading must not pin the stream until the inactivity timeout.
      await stream.close({ signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch (error) {
      stream.abort(error instanceof Error ? error : new Error('response write failed'));
    }
  }

  async function request(
    peer: string,
    protocol: string,
    body: Uint8Array,
    requestOptions: RequestOptions = {},
  ): Promise<Uint8Array> {
    assertStarted();
    const remote = parsePeerId(peer);
    if (book.isBanned(peer)) throw p2pError('P2P_PEER_BANNED', `peer ${peer} is banned`, { peer });
    if (allowed !== null && !allowed.has(peer)) {
      throw p2pError('P2P_PEER_NOT_ALLOWED', `peer ${peer} is not on the allow-list`, { peer });
    }
    const limits = limitsFor(protocol);
    if (body.length > limits.maxRequestBytes) {
      throw p2pError('P2P_REQUEST_TOO_LARGE', `request of ${body.length} bytes is over the limit`, {
        protocol,
        size: body.length,
        limit: limits.maxRequestBytes,
      });
    }
    const maxResponseBytes = requestOptions.maxResponseBytes ?? limits.maxResponseBytes;
    const timeoutMs = requestOptions.timeoutMs ?? requestTimeoutMs;
    assertPositiveInteger('timeoutMs', timeoutMs);
    assertPositiveInteger('maxResponseBytes', maxResponseBytes);
    const meta = { peer, protocol };
    stats.requestsSent += 1;

    const controller = new AbortController();
    let stream: Stream | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      stream?.abort(p2pError('P2P_REQUEST_TIMEOUT', 'request timed out', meta));
    }, timeoutMs);
    const timeoutError = () =>
      p2pError('P2P_REQUEST_TIMEOUT', `no response from ${peer} in ${timeoutMs} ms`, meta);
    try {
      try {
        stream = await node.dialProtocol(remote, protocol, { signal: controller.signal });
      } catch (error) {
        if (timedOut) throw timeoutError();
        throw p2pError('P2P_REQUEST_FAILED', `could not open ${protocol} to ${peer}`, meta, error);
      }
      if (timedOut) {
        stream.abort(timeoutError());
        throw timeoutError();
      }
      const frameLimit = Math.max(maxResponseBytes, MIN_RESPONSE_FRAME_BYTES) + 1;
      stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, frameLimit + 16);
      const reading = readSingleFrame(stream, frameLimit);
      try {
        stream.send(encode.single(body));
        await stream.close({ signal: controller.signal });
      } catch {
        // A responder that resets mid-request is reported by the read below.
      }
      const read = await reading;
      if (timedOut) throw timeoutError();
      if (!read.ok) {
        if (read.reason === 'oversized') {
          penalizePeer(peer, 'oversized-frame');
          stream.abort(p2pError('P2P_RESPONSE_TOO_LARGE', 'response frame over the limit', meta));
          throw p2pError(
            'P2P_RESPONSE_TOO_LARGE',
            `response from ${peer} is over ${maxResponseBytes} bytes`,
            meta,
          );
        }
        if (read.reason === 'malformed') {
          penalizePeer(peer, 'invalid-response');
          throw p2pError('P2P_MALFORMED_RESPONSE', `malformed response frame from ${peer}`, meta, read.error);
        }
        throw p2pError(
          'P2P_REQUEST_FAILED',
          `${peer} closed the stream without a response`,
          meta,
          read.error,
        );
      }
      const decoded = decodeResponse(read.frame);
      if (decoded.ok === 'malformed') {
        penalizePeer(peer, 'invalid-response');
        throw p2pError('P2P_MALFORMED_RESPONSE', `malformed response from ${peer}: ${decoded.reason}`, meta);
      }
      if (decoded.ok === false) {
        throw p2pError('P2P_REMOTE_ERROR', `${peer} refused: ${decoded.code}: ${decoded.message}`, {
          ...meta,
          remoteCode: decoded.code,
          remoteMessage: decoded.message,
        });
      }
      if (decoded.body.length > maxResponseBytes) {
        penalizePeer(peer, 'oversized-frame');
        throw p2pError(
          'P2P_RESPONSE_TOO_LARGE',
          `response from ${peer} is over ${maxResponseBytes} bytes`,
          meta,
        );
      }
      return decoded.body;
    } catch (error) {
      stats.requestsFailed += 1;
      if (stream && stream.status === 'open')
        stream.abort(error instanceof Error ? error : new Error('failed'));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  const dialer = createBootstrapDialer(
    bootstrapTargets.filter((target) => target.peer !== peerId),
    { ...DEFAULT_BOOTSTRAP_DIALER, ...options.redial },
    {
      dial: async (address) => {
        await node.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) });
      },
      isConnected: (peer) => node.getConnections(parsePeerId(peer)).length > 0,
      isBlocked: (peer) => book.isBanned(peer) || (allowed !== null && !allowed.has(peer)),
      onError: (error, target) => report(error, `bootstrap dial ${target.address}`),
    },
  );

  node.addEventListener('peer:connect', (event) => {
    const peer = event.detail.toString();
    notify('onPeerConnected', () => handlers.onPeerConnected?.(peer));
  });
  node.addEventListener('peer:disconnect', (event) => {
    const peer = event.detail.toString();
    if (started) dialer.peerDisconnected(peer);
    notify('onPeerDisconnected', () => handlers.onPeerDisconnected?.(peer));
  });

  for (const [protocol, handler] of Object.entries(handlers.requestHandlers ?? {})) {
    await node.handle(
      protocol,
      (stream, connection) =>
        serveRequest(protocol, handler, stream, connection).catch((error: unknown) => {
          report(error, `serve ${protocol}`);
          stream.abort(error instanceof Error ? error : new Error('request handling failed'));
        }),
      { maxInboundStreams: 64 },
    );
  }

  function applySubscription(topic: string): void {
    pubsub.topicValidators.set(topic, validateGossip);
    pubsub.subscribe(topic);
  }

  return {
    peerId,
    chainId: options.chainId,
    shard: options.shard,
    async start() {
      if (started) return;
      await node.start();
      started = true;
      for (const topic of subscribed) applySubscription(topic);
      dialer.start();
    },
    async stop() {
      if (!started) return;
      started = false;
      dialer.stop();
      await node.stop();
    },
    isStarted: () => started,
    multiaddrs: () => node.getMultiaddrs().map((address) => address.toString()),
    subscribe(topic) {
      assertOwnTopic(topic);
      subscribed.add(topic);
      if (started) applySubscription(topic);
    },
    unsubscribe(topic) {
      subscribed.delete(topic);
      if (started) {
        pubsub.unsubscribe(topic);
        pubsub.topicValidators.delete(topic);
      }
    },
    topics: () => [...subscribed],
    meshPeers: (topic) => (started ? (router.getMeshPeers?.(topic) ?? []) : []),
    subscribers(topic) {
      if (!started) return [];
      // A subscription is learnt on the peer's stream to us; we can only publish once our own
      // stream to it is open too, so only count peers that have both.
      const outbound = router.streamsOutbound;
      return pubsub
        .getSubscribers(topic)
        .map((peer) => peer.toString())
        .filter((peer) => outbound === undefined || outbound.has(peer));
    },
    async publish(topic, data) {
      assertStarted();
      const { kind } = assertOwnTopic(topic);
      if (!(data instanceof Uint8Array))
        throw p2pError('P2P_INVALID_OPTIONS', 'gossip data must be a Uint8Array');
      if (data.length > maxMessageBytes[kind]) {
        throw p2pError('P2P_MESSAGE_TOO_LARGE', `message of ${data.length} bytes is over the ${kind} limit`, {
          topic,
          size: data.length,
          limit: maxMessageBytes[kind],
        });
      }
      try {
        const result = await pubsub.publish(topic, data);
        stats.gossipPublished += 1;
        return { recipients: result.recipients.length };
      } catch (error) {
        throw p2pError('P2P_PUBLISH_FAILED', `publishing on ${topic} failed`, { topic }, error);
      }
    },
    request,
    async dial(address) {
      assertStarted();
      const target = parseBootstrapAddress(address);
      if (isRefused(parsePeerId(target.peer))) {
        throw p2pError('P2P_PEER_NOT_ALLOWED', `peer ${target.peer} is banned or not allowed`, {
          peer: target.peer,
        });
      }
      try {
        await node.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        throw p2pError('P2P_DIAL_FAILED', `could not dial ${address}`, { address }, error);
      }
    },
    connectedPeers: () => node.getPeers().map((peer) => peer.toString()),
    penalize: (peer, reason, points) => penalizePeer(peer, reason, points),
    peerScore: (peer) => book.score(peer),
    isBanned: (peer) => book.isBanned(peer),
    bans: () => book.bans(),
    setAllowedPeers(peers) {
      allowed = peers ? new Set(peers) : null;
      if (!started || allowed === null) return;
      for (const peer of node.getPeers()) {
        if (!allowed.has(peer.toString())) {
          node.hangUp(peer).catch((error: unknown) => report(error, 'hang up disallowed peer'));
        }
      }
    },
    stats: () => ({ ...stats }),
  };
}
