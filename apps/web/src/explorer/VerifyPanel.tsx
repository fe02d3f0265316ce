import type { ProofVerification } from '@shardpay/sdk';
import { useState } from 'react';
import { describeError } from '../ui/describeError.ts';
import { Alert } from '../ui/Messages.tsx';

/**
 * A "Verify" button and, once run, each check of the SDK's light-client verification with its
 * outcome, in one role="status" region. `verify` fetches the proof and checks it in this page:
 * nothing the gateway says about the result is trusted.
 */
export function VerifyPanel({ label, verify }: { label: string; verify: () => Promise<ProofVerification> }) {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ProofVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setRunning(true);
    setError(null);
    setResult(null);
    verify()
      .then(setResult, (failure: unknown) => setError(describeError(failure)))
      .finally(() => setRunning(false));
  };
  return (
    <div className="card verify">
      <button type="button" onClick={run} disabled={running}>
        {label}
      </button>
      <div role="status" className="verify-result" aria-live="polite">
        {running ? <p>Checking the proof in this browser…</p> : null}
        {result === null ? null : (
          <>
            <p className={result.valid ? 'verdict good' : 'verdict bad'}>
              {result.valid
                ? 'Verified: all checks passed.'
                : `Not verified: ${result.reason ?? 'a check failed.'}`}
            </p>
            <ul className="checks">
              {result.checks.map((check) => (
                <li key={check.name} className={check.passed ? 'passed' : 'failed'}>
                  <strong>
                    {check.passed ? 'Passed' : 'Failed'}: {check.label}
                  </strong>
                  <span>{check.detail}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <Alert message={error} />
    </div>
  );
}
