import type { CommitCertificate, Proposal, Vote } from '@shardpay/protocol';
import type { SimBlock } from './simBlock.ts';

/** What simulated validators send each other. */
export type SimMessage =
  /** A proposal travels with its block body (a real node gossips both). */
  | { kind: 'proposal'; proposal: Proposal; block: SimBlock }
  | { kind: 'vote'; vote: Vote }
  /** "I am working on `height`": peers that are ahead answer with `sync`. */
  | { kind: 'status'; height: bigint }
  /** Block sync: a committed block and its certificate. */
  | { kind: 'sync'; block: SimBlock; certificate: CommitCertificate };

/** One message for one recipient node. */
export interface Outgoing {
  to: number;
  message: SimMessage;
}
