import type { NetworkConfig } from '@shardpay/protocol';
import { createWallet, type Wallet } from '@shardpay/sdk';
import { type FormEvent, useMemo, useState } from 'react';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { saveAndRegisterWallet } from './openWallet.ts';
import { PassphraseForm } from './PassphraseForm.tsx';

/** Three distinct word positions (0-based, ascending) to ask back, from the browser's CSPRNG. */
function pickPositions(count: number, of: number): number[] {
  const chosen = new Set<number>();
  const random = new Uint32Array(1);
  while (chosen.size < count) {
    crypto.getRandomValues(random);
    chosen.add((random[0] ?? 0) % of);
  }
  return [...chosen].sort((a, b) => a - b);
}

type Step = 'show' | 'confirm' | 'passphrase';

/**
 * A new wallet: the 12-word recovery phrase shown once, three of its words asked back, then a
 * passphrase that encrypts it in this browser. The phrase lives only in this component's memory.
 */
export function CreateWallet({
  network,
  onOpen,
}: {
  network: NetworkConfig;
  onOpen: (wallet: UnlockedWallet) => void;
}) {
  const { gateway } = useApp();
  const [wallet] = useState<Wallet>(() => createWallet({ network, words: 12 }));
  const words = useMemo(() => wallet.exportMnemonic().split(' '), [wallet]);
  const [positions] = useState(() => pickPositions(3, words.length));
  const [step, setStep] = useState<Step>('show');
  const [answers, setAnswers] = useState<string[]>(['', '', '']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (step === 'show') {
    return (
      <section aria-labelledby="phrase-heading">
        <h2 id="phrase-heading">Your recovery phrase</h2>
        <p>
          Write these 12 words down, in order, and keep them somewhere safe. They are the only way to get your
          money back if you lose this browser or forget your passphrase. They will not be shown again.
        </p>
        <ol className="mnemonic" aria-label="Recovery phrase">
          {words.map((word, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a phrase may repeat a word; its position is its identity
            <li key={index}>{word}</li>
          ))}
        </ol>
        <button type="button" onClick={() => setStep('confirm')}>
          I have written it down
        </button>
      </section>
    );
  }

  if (step === 'confirm') {
    const check = (event: FormEvent) => {
      event.preventDefault();
      const right = positions.every(
        (position, index) => (answers[index] ?? '').trim().toLowerCase() === words[position],
      );
      if (right) {
        setError(null);
        setStep('passphrase');
      } else {
        setError('Those words do not match your recovery phrase. Check what you wrote down.');
      }
    };
    return (
      <section aria-labelledby="confirm-heading">
        <h2 id="confirm-heading">Confirm your recovery phrase</h2>
        <form onSubmit={check} className="form">
          {positions.map((position, index) => (
            <div key={position} className="field">
              <label htmlFor={`word-${position + 1}`}>Word #{position + 1}</label>
              <input
                id={`word-${position + 1}`}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                required
                value={answers[index] ?? ''}
                onChange={(event) => {
                  const next = [...answers];
                  next[index] = event.target.value;
                  setAnswers(next);
                }}
              />
            </div>
          ))}
          <Alert message={error} />
          <div className="actions">
            <button type="submit">Confirm</button>
            <button type="button" className="secondary" onClick={() => setStep('show')}>
              Show the phrase again
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section aria-labelledby="passphrase-heading">
      <h2 id="passphrase-heading">Choose a passphrase</h2>
      <PassphraseForm
        submitLabel="Create wallet"
        busy={busy}
        onSubmit={(passphrase) => {
          setBusy(true);
          setError(null);
          saveAndRegisterWallet(gateway, network, wallet, passphrase)
            .then(onOpen)
            .catch((failure: unknown) => setError(describeError(failure)))
            .finally(() => setBusy(false));
        }}
      />
      {busy ? <Status>Encrypting your wallet and linking it to your account…</Status> : null}
      <Alert message={error} />
    </section>
  );
}
