import { domainHash, utf8ToBytes } from '@shardpay/crypto';

/** Domain tag of wallet-registration signatures: they can never be mistaken for transactions. */
export const WALLET_CHALLENGE_DOMAIN = 'shardpay/gateway/wallet-registration/v1';

/** The text a wallet signs to prove it holds its key, bound to the user and the challenge. */
export function walletChallengeMessage(challengeId: string, userId: string, nonce: string): string {
  return `Shardpay wallet registration\nchallenge: ${challengeId}\nuser: ${userId}\nnonce: ${nonce}`;
}

/** The 32-byte hash to sign (signHash) for a challenge message. */
export function walletChallengeSigningHash(message: string): Uint8Array {
  return domainHash(WALLET_CHALLENGE_DOMAIN, utf8ToBytes(message));
}
