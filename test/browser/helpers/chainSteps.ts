/**
 * Chain set-up for the explorer flows, done in Node through the gateway's public API and the SDK:
 * the devnet faucet funds an address, a transfer signed here is relayed, and its stages are followed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { bytesToHex } from '@shardpay/crypto';
import { encodeTransaction } from '@shardpay/protocol';
import { buildTransfer, type GatewayExplorerTransaction, type WalletAccount } from '@shardpay/sdk';

/** Polls the gateway's transaction status until `done` holds (bounded), returning the last answer. */
export async function waitForTransaction(
  url: string,
  txId: string,
  done: (tx: GatewayExplorerTransaction) => boolean,
  timeoutMs = 45_000,
): Promise<GatewayExplorerTransaction> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let last: unknown = null;
  for (;;) {
    const answer = await fetch(`${url}/v1/transactions/${txId}`);
    if (answer.status === 200) {
      const tx = (await answer.json()) as GatewayExplorerTransaction;
      last = tx;
      if (done(tx)) return tx;
    } else {
      last = await answer.text();
    }
    if (Date.now() > deadline) {
      throw new Error(`transaction ${txId} not done within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 300);
  }
}

/** Sends `amount` from the devnet faucet to `address` and waits until it is final. */
export async function fundFromFaucet(url: string, address: string, amount: string): Promise<void> {
  const answer = await fetch(`${url}/v1/faucet`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ address, amount }),
  });
  assert.equal(answer.status, 201, await answer.clone().text());
  const { tx_id: txId } = (await answer.json()) as { tx_id: string };
  await waitForTransaction(url, txId, (tx) => ['final', 'credited'].includes(tx.status));
}

/** Signs a transfer from `from` here and relays it through `POST /v1/transactions`; returns its id. */
export async function relayTransfer(
  url: string,
  from: WalletAccount,
  to: string,
  amount: string,
): Promise<string> {
  const account = (await (await fetch(`${url}/v1/accounts/${from.address}`)).json()) as {
    pending_nonce?: string;
    nonce: string;
    height: string;
  };
  const tx = buildTransfer({
    from,
    to,
    amount,
    nonce: BigInt(account.pending_nonce ?? account.nonce),
    expiryHeight: BigInt(account.height) + 1000n,
  });
  const answer = await fetch(`${url}/v1/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: bytesToHex(encodeTransaction(tx)) }),
  });
  assert.equal(answer.status, 201, await answer.clone().text());
  return ((await answer.json()) as { tx_id: string }).tx_id;
}
