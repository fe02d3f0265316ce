import { bytesToHex, encodeAddress, ShardpayError } from '@shardpay/crypto';
import { type Address, encodeTransaction, type NetworkConfig, signTransaction } from '@shardpay/protocol';
import { callBenchRpc, callBenchRpcBatch } from './callBenchRpc.ts';
import type { BenchNetwork, BenchValidator } from './startBenchNetwork.ts';
import { waitUntilCommitting } from './startBenchNetwork.ts';

/** A key that holds funds on one shard of a running network (a devnet faucet). */
export interface BenchFunder {
  shard: number;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: Address;
}

export interface AttachBenchNetworkOptions {
  dir: string;
  network: NetworkConfig;
  validators: Array<Omit<BenchValidator, 'pid'> & { pid?: number }>;
  /** One funded key per shard: pays the bench's fresh senders before the load starts. */
  funders: BenchFunder[];
}

/** A running network the bench did not start: it is neither stopped nor removed at the end. */
export interface AttachedBenchNetwork extends BenchNetwork {
  funders: BenchFunder[];
}

/** Wraps a running network (a `shardpay devnet`) so the bench can load it; `stop` leaves it running. */
export function attachBenchNetwork(options: AttachBenchNetworkOptions): AttachedBenchNetwork {
  const validators: BenchValidator[] = options.validators.map((v) => ({ ...v, pid: () => v.pid }));
  return {
    dir: options.dir,
    network: options.network,
    validators,
    funders: options.funders,
    waitUntilCommitting: (height, timeoutMs) => waitUntilCommitting(validators, height, timeoutMs, () => {}),
    assertRunning() {},
    logTails: () => `(the validators' logs are in ${options.dir})`,
    async stop() {},
    killNow() {},
  };
}

const CHUNK = 50;
const CHUNK_TIMEOUT_MS = 60_000;

/**
 * Pays `amount` to each recipient from the funder of its shard: transfers in chunks of 50 (under the
 * mempool's nonce gap), each chunk submitted and then awaited until the funder's nonce passes it.
 */
export async function fundBenchAccounts(
  net: AttachedBenchNetwork,
  recipients: ReadonlyArray<{ shard: number; address: Address }>,
  amount: bigint,
): Promise<void> {
  await Promise.all(
    net.funders.map(async (funder) => {
      const rpcUrl = net.validators.find((v) => v.shard === funder.shard)?.rpcUrl;
      if (rpcUrl === undefined) throw new ShardpayError('USAGE', `no validator of shard ${funder.shard}`);
      const mine = recipients.filter((r) => r.shard === funder.shard);
      const nonceOf = async () => {
        const account = (await callBenchRpc(
          rpcUrl,
          'shardpay_getAccount',
          { address: encodeAddress(funder.address, net.network.addressPrefix) },
          5000,
        )) as { nonce: string };
        return BigInt(account.nonce);
      };
      for (let at = 0; at < mine.length; at += CHUNK) {
        const first = await nonceOf();
        const chunk = mine.slice(at, at + CHUNK);
        const calls = chunk.map((recipient, i) => ({
          method: 'shardpay_submitTransaction',
          params: {
            tx: bytesToHex(
              encodeTransaction(
                signTransaction(
                  {
                    chainId: net.network.chainId,
                    shard: funder.shard,
                    nonce: first + BigInt(i),
                    fee: net.network.flatFee,
                    expiryHeight: 1_000_000_000n,
                    publicKey: funder.publicKey,
                    operation: { type: 'transfer', to: recipient.address, amount, memo: 'bench funding' },
                  },
                  funder.privateKey,
                ),
              ),
            ),
          },
        }));
        const outcomes = await callBenchRpcBatch(rpcUrl, calls, 30_000);
        const refused = outcomes.find((o) => !o.ok);
        if (refused && !refused.ok) {
          throw new ShardpayError(refused.code, `funding the bench senders: ${refused.message}`);
        }
        const deadline = Date.now() + CHUNK_TIMEOUT_MS;
        while ((await nonceOf()) < first + BigInt(chunk.length)) {
          if (Date.now() > deadline) {
            throw new ShardpayError('BENCH_START_TIMEOUT', 'funding transfers were not final within 60 s');
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }),
  );
}
