import type { ReactNode } from 'react';

/** Live progress ("Sending…", "Final on shard 0"): read out by screen readers as it changes. */
export function Status({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="status">
      {children}
    </p>
  );
}

/** A failure, in words the user understands; nothing is rendered without one. */
export function Alert({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p role="alert" className="alert">
      {message}
    </p>
  );
}
