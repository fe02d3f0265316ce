import { type FormEvent, useState } from 'react';

export interface PassphraseFormProps {
  submitLabel: string;
  busy: boolean;
  onSubmit: (passphrase: string) => void;
}

const MIN_PASSPHRASE = 8;

/** A new passphrase, typed twice: it encrypts the wallet kept in this browser. */
export function PassphraseForm({ submitLabel, busy, onSubmit }: PassphraseFormProps) {
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) {
      setProblem(`Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
    } else if (passphrase !== again) {
      setProblem('The two passphrases are different. Type the same one twice.');
    } else {
      setProblem(null);
      onSubmit(passphrase);
    }
  };
  return (
    <form onSubmit={submit} className="form">
      <label htmlFor="new-passphrase">Passphrase</label>
      <input
        id="new-passphrase"
        type="password"
        autoComplete="new-password"
        required
        value={passphrase}
        onChange={(event) => setPassphrase(event.target.value)}
      />
      <label htmlFor="repeat-passphrase">Repeat the passphrase</label>
      <input
        id="repeat-passphrase"
        type="password"
        autoComplete="new-password"
        required
        value={again}
        onChange={(event) => setAgain(event.target.value)}
      />
      <p className="hint">
        It encrypts your wallet in this browser. Shardpay never sees it and cannot reset it: your recovery
        phrase is the only other way in.
      </p>
      {problem === null ? null : (
        <p role="alert" className="alert">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Encrypting your wallet…' : submitLabel}
      </button>
    </form>
  );
}
