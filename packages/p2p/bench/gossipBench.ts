/**
 * Gossip throughput between two hosts on loopback: how many batched messages per second one
 * host can publish and the other validate and deliver, with a bounded in-flight window (no
 * sleeps). Run: `npx node packages/p2p/bench/gossipBench.ts [messagesPerCase]`.
 */
import { createHash } from 'node:crypto';
import { createP2PHost, gossipTopic, type P2PHost } from '@shardpay/p2p';

const CHAIN_ID = 'bench';
const TX_BYTES = 250; // about a signed transfer in canonical encoding
const WINDOW = 256; // messages in flight before the publisher waits for the receiver
const messagesPerCase = Number(process.argv[2] ?? 5_000);
const batchSizes = [1, 10, 100];

function key(index: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`shardpay-p2p-bench-${index}`).digest());
}

async function run(): Promise<void> {
  let received = 0;
  let wake: (() => void) | undefined;
  const receiver = await createP2PHost(
    { validatorKey: key(1), chainId: CHAIN_ID, shard: 0 },
    {
      onGossip: () => {
        received += 1;
        wake?.();
        return 'accept';
      },
    },
  );
  await receiver.start();
  const publisher: P2PHost = await createP2PHost({
    validatorKey: key(0),
    chainId: CHAIN_ID,
    shard: 0,
    bootstrap: receiver.multiaddrs(),
  });
  await publisher.start();
  const topic = gossipTopic(CHAIN_ID, 0, 'tx');
  receiver.subscribe(topic);
  publisher.subscribe(topic);
  const deadline = Date.now() + 10_000;
  while (!publisher.subscribers(topic).includes(receiver.peerId)) {
    if (Date.now() > deadline) throw new Error('the hosts never met');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  console.log(
    `gossip throughput, 2 hosts on 127.0.0.1, ${messagesPerCase} messages per case, window ${WINDOW}`,
  );
  let sequence = 0;
  for (const batchSize of batchSizes) {
    const bytes = batchSize * TX_BYTES;
    received = 0;
    const started = performance.now();
    for (let published = 0; published < messagesPerCase; published += 1) {
      while (published - received >= WINDOW) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      const message = new Uint8Array(bytes);
      // Distinct content: message ids are content hashes.
      new DataView(message.buffer).setUint32(0, sequence++);
      await publisher.publish(topic, message);
    }
    while (received < messagesPerCase) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const perSecond = messagesPerCase / seconds;
    console.log(
      `  batch of ${String(batchSize).padStart(3)} tx (${String(bytes).padStart(6)} B): ` +
        `${Math.round(perSecond).toLocaleString('en-US').padStart(7)} messages/s, ` +
        `${Math.round(perSecond * batchSize)
          .toLocaleString('en-US')
          .padStart(9)} tx/s, ` +
        `${((perSecond * bytes) / 1e6).toFixed(1).padStart(6)} MB/s`,
    );
  }
  await publisher.stop();
  await receiver.stop();
}

await run();
