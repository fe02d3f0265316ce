import { randomUUID } from 'node:crypto';
import { bytesToHex, signHash } from '@shardpay/crypto';
import { encodeTransaction, type NetworkConfig, walletChallengeSigningHash } from '@shardpay/protocol';
import { buildTransfer, createWallet, type WalletAccount } from '@shardpay/sdk';
import { callRpc, expectApi, mapLimit, waitUntil } from './benchHttp.ts';

/** A funded sender registered through the API: its account (keys stay here), wallet id and owner's token. */
export interface BenchSender {
  account: WalletAccount;
  walletId: string;
  token: string;
}

/**
 * Sets up the load's actors through the API before any clock starts: `users` users sign up and log
 * in, `senders` wallets (HD accounts of one new SDK wallet, so a long-lived devnet of `--dir` has
 * never seen them) are registered with a signed challenge, spread over the users, and each is paid 1.000000 from the devnet faucet (POST /v1/faucet); resolves once every
 * sender's balance is on chain.
 */
export async function setupBenchSenders(options: {
  gateway: string;
  rpc: (shard: number) => string;
  network: NetworkConfig;
  users: number;
  senders: number;
}): Promise<BenchSender[]> {
  const { gateway, network } = options;
  const tokens = await mapLimit(Array.from({ length: options.users }), 4, async () => {
    const email = `bench-${randomUUID()}@example.com`;
    const password = 'gateway bench password';
    await expectApi(201, 'sign-up', gateway, 'POST', '/v1/users', { body: { email, password } });
    const session = await expectApi(201, 'login', gateway, 'POST', '/v1/sessions', {
      body: { email, password },
    });
    return session.access_token as string;
  });
  const accounts = createWallet({ network }).accounts(options.senders);
  const senders = await mapLimit(accounts, 16, async (account, index): Promise<BenchSender> => {
    const token = tokens[index % tokens.length]!;
    const challenge = await expectApi(201, 'wallet challenge', gateway, 'POST', '/v1/wallet_challenges', {
      token,
      body: {},
    });
    const signature = signHash(
      walletChallengeSigningHash(challenge.message as string),
      account.exportPrivateKey(),
    );
    const registered = await expectApi(201, 'wallet registration', gateway, 'POST', '/v1/wallets', {
      token,
      body: {
        address: account.address,
        public_key: bytesToHex(account.publicKey),
        challenge_id: challenge.id,
        signature: bytesToHex(signature),
      },
    });
    await expectApi(201, 'faucet', gateway, 'POST', '/v1/faucet', {
      body: { address: account.address, amount: '1' },
      idempotencyKey: randomUUID(),
    });
    return { account, walletId: registered.id as string, token };
  });
  await waitUntil('the faucet payments to every sender', 120_000, async () => {
    const balances = await mapLimit(senders, 16, (sender) => readAccount(options.rpc, sender.account));
    return balances.every((account) => account.balance !== '0.000000');
  });
  return senders;
}

/** A sender's account as the chain sees it (committed nonce, pending nonce, height). */
export async function readAccount(
  rpc: (shard: number) => string,
  account: WalletAccount,
): Promise<{ balance: string; nonce: bigint; pendingNonce: bigint; height: bigint }> {
  const answer = await callRpc<{ balance: string; nonce: string; pendingNonce: string; height: string }>(
    rpc(account.shard),
    'shardpay_getAccount',
    { address: account.address },
  );
  return {
    balance: answer.balance,
    nonce: BigInt(answer.nonce),
    pendingNonce: BigInt(answer.pendingNonce),
    height: BigInt(answer.height),
  };
}

/** A pre-signed payment: the POST /v1/payments body, its key, its sender's index. */
export interface SignedPayment {
  sender: number;
  body: string;
  idempotencyKey: string;
}

/**
 * `perSender` transfers from every sender, signed before the clock starts, ordered so that the i-th
 * handed out is sender i mod S's next nonce: however far a phase gets, each sender has sent a prefix
 * of its nonces (no gap), and concurrent requests hit different senders. Amounts of 1–100 minor
 * units to the next sender, seeded by position.
 */
export async function signBenchPayments(
  senders: BenchSender[],
  rpc: (shard: number) => string,
  perSender: number,
): Promise<{ payments: SignedPayment[]; baseNonces: bigint[] }> {
  const states = await mapLimit(senders, 16, (sender) => readAccount(rpc, sender.account));
  const baseNonces = states.map((state) => state.pendingNonce);
  const payments: SignedPayment[] = [];
  for (let round = 0; round < perSender; round++) {
    for (let index = 0; index < senders.length; index++) {
      const sender = senders[index]!;
      const tx = buildTransfer({
        from: sender.account,
        to: senders[(index + 1) % senders.length]!.account.address,
        amount: BigInt(((round * 31 + index * 7) % 100) + 1),
        nonce: baseNonces[index]! + BigInt(round),
        expiryHeight: states[index]!.height + 1_000_000n,
      });
      payments.push({
        sender: index,
        body: JSON.stringify({ transaction: bytesToHex(encodeTransaction(tx)) }),
        idempotencyKey: randomUUID(),
      });
    }
  }
  return { payments, baseNonces };
}
