/**
 * The steps of a purchase and a cash-out at which a test can make the gateway die, to prove that a
 * restart resumes from the database with exactly one mint, capture and payout (test-only).
 */
export const CRASH_STEPS = [
  'after_authorize',
  'after_mint_submit',
  'after_mint_final',
  'after_capture',
  'after_burn_final',
  'during_payout',
  'after_refund_submit',
  // The webhook sender (src/webhooks/createWebhookSender.ts): the receiver answered, not yet recorded.
  'during_webhook_delivery',
] as const;

export type CrashStep = (typeof CRASH_STEPS)[number];

/** Called at each crash step; a test's version throws or kills the process, the default does nothing. */
export type CrashHook = (step: CrashStep) => void;

export const noCrash: CrashHook = () => undefined;

/**
 * TEST ONLY. `SHARDPAY_CRASH_AT=<step>` makes the process kill itself with SIGKILL when it reaches that
 * step (no cleanup, no flush: a real crash), so a process test can restart it on the same database.
 * Unset (always, outside tests): no hook.
 */
export function crashHookFromEnv(env: NodeJS.ProcessEnv = process.env): CrashHook {
  const wanted = env.SHARDPAY_CRASH_AT;
  if (wanted === undefined || wanted === '') return noCrash;
  if (!(CRASH_STEPS as readonly string[]).includes(wanted)) {
    throw new Error(`SHARDPAY_CRASH_AT is one of ${CRASH_STEPS.join(', ')}`);
  }
  return (step) => {
    if (step === wanted) process.kill(process.pid, 'SIGKILL');
  };
}
