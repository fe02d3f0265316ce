import { type FormEvent, useState } from 'react';

export interface CredentialsFormProps {
  submitLabel: string;
  busyLabel: string;
  /** A new password (sign-up) or the current one (log-in), for the browser's password manager. */
  newPassword: boolean;
  onSubmit: (credentials: { email: string; password: string }) => Promise<void>;
}

/** Email and password, as sign-up and log-in both ask them. */
export function CredentialsForm({ submitLabel, busyLabel, newPassword, onSubmit }: CredentialsFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    void onSubmit({ email: email.trim(), password }).finally(() => setBusy(false));
  };
  return (
    <form onSubmit={submit} className="form">
      <label htmlFor="email">Email</label>
      <input
        id="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        required
        minLength={newPassword ? 10 : 1}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {newPassword ? <p className="hint">At least 10 characters.</p> : null}
      <button type="submit" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
