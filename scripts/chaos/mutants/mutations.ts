/**
 * Deliberately broken builds for `npm run chaos -- --break NAME`: source rewrites applied while the
 * validator loads (a module hook, see register.ts), so the packages stay untouched on disk. Each
 * must be caught by the checker; if a rewrite no longer matches the source, loading fails loudly
 * rather than running an unbroken build.
 */
export interface Mutation {
  /** The end of the module's file URL. */
  file: string;
  from: string;
  to: string;
}

const ledgerCheck: Mutation = {
  file: '/packages/ledger/src/applyIncomingReceipt.ts',
  from: 'if (context.state.isReceiptConsumed(receiptId)) {',
  to: 'if (false) {',
};

export const MUTATIONS: Record<string, Mutation[]> = {
  /**
   * Every consumed-receipt check skipped: the ledger's (a block may consume a receipt again) and the
   * node's (its pool keeps consumed receipts, so proposers include them again). The state still
   * records what was consumed. The checker must report double credits.
   */
  'consumed-receipt': [
    ledgerCheck,
    {
      file: '/packages/node/src/createValidatorNode.ts',
      from: 'incoming.prune((id) => chain.state.reader.isReceiptConsumed(id));',
      to: 'incoming.prune(() => false);',
    },
  ],
  /**
   * Only the ledger's check skipped. Honest proposers never offer a consumed receipt (the pool drops
   * them), so nothing goes wrong and the checker sees nothing: this only shows that the ledger's
   * check guards against a Byzantine proposer, which a crash-fault run does not have.
   */
  'ledger-check-only': [ledgerCheck],
};
