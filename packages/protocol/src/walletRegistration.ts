import { domainHash, utf8ToBytes } from '@shardpay/crypto';
import type { Hash } from './types.ts';

/**
 * Domain tag of the gateway's wallet-registration signatures: a signature made to prove a key can
 * never be taken for a transaction, a vote or a proposal (those use `SigningDomain`).
 */
export const WALLET_CHALLENGE_DOMAIN = 'shardpay/gateway/wallet-registration/v1';

/**
 * The 32-byte hash a wallet signs (signHash) to answer a gateway wallet challenge: both the gateway,
 * which checks it, and the SDK, which signs it, compute it here.
 */
export function walletChallengeSigningHash(message: string): Hash {
  return domainHash(WALLET_CHALLENGE_DOMAIN, utf8ToBytes(message));
}
