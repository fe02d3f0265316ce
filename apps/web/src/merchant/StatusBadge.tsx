/** An invoice status (and its exception, if any) as small labelled badges. */
export function StatusBadge({ status, exception }: { status: string; exception?: string | null }) {
  return (
    <>
      <span className={`badge badge-${status}`}>{status}</span>
      {exception ? <span className="badge badge-exception">{exception.replace('_', ' ')}</span> : null}
    </>
  );
}
