import { p2pError } from './P2PErrorCode.ts';

/** What a topic carries; each has its own size limit (see `DEFAULT_MAX_MESSAGE_BYTES`). */
export type GossipTopicKind = 'tx' | 'consensus' | 'headers' | 'receipts';

export const GOSSIP_TOPIC_KINDS: readonly GossipTopicKind[] = ['tx', 'consensus', 'headers', 'receipts'];

/** Bumped when a topic's payload format changes incompatibly. */
export const GOSSIP_TOPIC_VERSION = 1;

export interface ParsedGossipTopic {
  chainId: string;
  shard: number;
  kind: GossipTopicKind;
}

/** Chain ids appear inside topic names, so they must not contain `/` or whitespace. */
const CHAIN_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_SHARD = 0xffff;
const TOPIC_PATTERN = /^\/shardpay\/([^/]+)\/(0|[1-9][0-9]{0,4})\/([a-z]+)\/([1-9][0-9]{0,3})$/;

/** True for chain ids that can be used in topic names (1–64 of `[A-Za-z0-9._-]`). */
export function isTopicSafeChainId(chainId: string): boolean {
  return CHAIN_ID_PATTERN.test(chainId);
}

function assertTopicParts(chainId: string, shard: number, kind: string): void {
  if (!isTopicSafeChainId(chainId)) {
    throw p2pError('P2P_INVALID_TOPIC', 'chain id must be 1-64 characters of [A-Za-z0-9._-]', { chainId });
  }
  if (!Number.isInteger(shard) || shard < 0 || shard > MAX_SHARD) {
    throw p2pError('P2P_INVALID_TOPIC', `shard must be an integer in 0..${MAX_SHARD}`, { shard });
  }
  if (!(GOSSIP_TOPIC_KINDS as readonly string[]).includes(kind)) {
    throw p2pError('P2P_INVALID_TOPIC', `unknown topic kind "${kind}"`, { kind });
  }
}

/**
 * The gossipsub topic name for one kind of traffic of one shard.
 *
 * @example gossipTopic('devnet', 0, 'tx') // '/shardpay/devnet/0/tx/1'
 */
export function gossipTopic(chainId: string, shard: number, kind: GossipTopicKind): string {
  assertTopicParts(chainId, shard, kind);
  return `/shardpay/${chainId}/${shard}/${kind}/${GOSSIP_TOPIC_VERSION}`;
}

/** The four topics of one shard, by kind. */
export function shardTopics(chainId: string, shard: number): Record<GossipTopicKind, string> {
  return {
    tx: gossipTopic(chainId, shard, 'tx'),
    consensus: gossipTopic(chainId, shard, 'consensus'),
    headers: gossipTopic(chainId, shard, 'headers'),
    receipts: gossipTopic(chainId, shard, 'receipts'),
  };
}

/** Parses a topic name built by `gossipTopic`; null for anything else (including other versions). */
export function parseGossipTopic(topic: string): ParsedGossipTopic | null {
  const match = TOPIC_PATTERN.exec(topic);
  if (!match) return null;
  const [, chainId, shardText, kind, version] = match;
  if (chainId === undefined || shardText === undefined || kind === undefined) return null;
  if (Number(version) !== GOSSIP_TOPIC_VERSION) return null;
  if (!isTopicSafeChainId(chainId)) return null;
  if (!(GOSSIP_TOPIC_KINDS as readonly string[]).includes(kind)) return null;
  const shard = Number(shardText);
  if (shard > MAX_SHARD) return null;
  return { chainId, shard, kind: kind as GossipTopicKind };
}

/** Like `parseGossipTopic`, but throws `P2P_INVALID_TOPIC`. */
export function assertGossipTopic(topic: string): ParsedGossipTopic {
  const parsed = parseGossipTopic(topic);
  if (!parsed) throw p2pError('P2P_INVALID_TOPIC', `"${topic}" is not a Shardpay gossip topic`, { topic });
  return parsed;
}
