/**
 * A validator's configuration file (JSON). Paths are relative to the file's folder unless absolute.
 * The genesis file names the committees; the key file must hold the key of committee member
 * `validatorIndex` of `shard`, or the node refuses to start.
 */
export interface NodeConfig {
  /** The network config (genesis) in its JSON form (`networkConfigToJson`). */
  genesisPath: string;
  /** `{"privateKey": "<64 hex>"}`, mode 0600: the validator's secp256k1 key. */
  keyPath: string;
  /** LMDB directory of this validator. */
  dataDir: string;
  shard: number;
  validatorIndex: number;
  p2p: {
    /** libp2p listen multiaddrs (default: the validator's addresses in genesis). */
    listen: string[];
  };
  rpc: {
    host: string;
    /** JSON-RPC over HTTP and WebSocket, `/metrics` and `/health` on the same port. */
    port: number;
  };
  consensus: ConsensusTimeouts;
  block: BlockLimits;
  mempool: MempoolLimits;
  /** Worker threads that check transaction signatures. */
  signatureThreads: number;
}

export interface ConsensusTimeouts {
  proposeBaseMs: number;
  proposeDeltaMs: number;
  prevoteBaseMs: number;
  prevoteDeltaMs: number;
  precommitBaseMs: number;
  precommitDeltaMs: number;
}

export interface BlockLimits {
  maxTransactions: number;
  maxBytes: number;
  /** When the mempool is empty, wait this long before proposing an empty block. */
  idleIntervalMs: number;
  /** Never propose sooner than this after the previous commit (lets transactions batch). */
  minIntervalMs: number;
}

export interface MempoolLimits {
  maxTransactions: number;
  maxBytes: number;
  maxPerSender: number;
  maxNonceGap: number;
}

export const defaultNodeSettings = {
  consensus: {
    proposeBaseMs: 1000,
    proposeDeltaMs: 500,
    prevoteBaseMs: 500,
    prevoteDeltaMs: 500,
    precommitBaseMs: 500,
    precommitDeltaMs: 500,
  },
  block: { maxTransactions: 5000, maxBytes: 4 * 1024 * 1024, idleIntervalMs: 1000, minIntervalMs: 50 },
  mempool: { maxTransactions: 50_000, maxBytes: 64 * 1024 * 1024, maxPerSender: 256, maxNonceGap: 64 },
  signatureThreads: 1,
} as const satisfies Pick<NodeConfig, 'consensus' | 'block' | 'mempool' | 'signatureThreads'>;
