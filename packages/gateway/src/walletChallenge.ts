/** The text a wallet signs to prove it holds its key, bound to the user and the challenge. */
export function walletChallengeMessage(challengeId: string, userId: string, nonce: string): string {
  return `Shardpay wallet registration\nchallenge: ${challengeId}\nuser: ${userId}\nnonce: ${nonce}`;
}
