import { createHash } from 'node:crypto';
import {
  createP2PHost,
  type GossipMessage,
  type GossipVerdict,
  type P2PHost,
  type P2PHostHandlers,
  type P2PHostOptions,
} from '@shardpay/p2p';

export const CHAIN_ID = 'p2p-test';

/** A deterministic, valid secp256k1 private key per index (sha256 of a label). */
export function testValidatorKey(index: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`shardpay-p2p-test-validator-${index}`).digest());
}

/** Polls `condition` every 10 ms until it holds, failing after `timeoutMs` with `what`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface TestHost {
  host: P2PHost;
  /** Every message its gossip handler saw, with the verdict it gave. */
  seen: Array<{ message: GossipMessage; verdict: GossipVerdict }>;
  /** Messages it accepted (payloads as hex). */
  accepted(): string[];
  errors: Array<{ error: unknown; context: string }>;
}

/** Rejects payloads that start with 0xff, accepts everything else. */
export function rejectFfPayloads(message: GossipMessage): GossipVerdict {
  return message.data[0] === 0xff ? 'reject' : 'accept';
}

/** Builds and starts a host on 127.0.0.1, port 0, recording what its gossip handler sees. */
export async function startTestHost(
  index: number,
  options: Partial<P2PHostOptions> = {},
  handlers: P2PHostHandlers = {},
  judge: (message: GossipMessage) => GossipVerdict = rejectFfPayloads,
): Promise<TestHost> {
  const seen: TestHost['seen'] = [];
  const errors: TestHost['errors'] = [];
  const host = await createP2PHost(
    {
      validatorKey: testValidatorKey(index),
      chainId: CHAIN_ID,
      shard: 0,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      redial: { initialDelayMs: 50, maxDelayMs: 500 },
      ...options,
    },
    {
      onGossip(message) {
        const verdict = judge(message);
        seen.push({ message, verdict });
        return verdict;
      },
      onError(error, context) {
        errors.push({ error, context });
      },
      ...handlers,
    },
  );
  await host.start();
  return {
    host,
    seen,
    errors,
    accepted: () =>
      seen
        .filter((entry) => entry.verdict === 'accept')
        .map((entry) => Buffer.from(entry.message.data).toString('hex')),
  };
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Stops every host given, ignoring ones never created. */
export async function stopAll(...hosts: Array<TestHost | P2PHost | undefined>): Promise<void> {
  await Promise.all(hosts.map((entry) => (entry && 'host' in entry ? entry.host : entry)?.stop()));
}
