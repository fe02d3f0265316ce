/** Short forms for long hex and addresses: the start and end, the whole value in `title`. */
export function shortHex(hex: string, keep = 10): string {
  return hex.length <= keep * 2 + 1 ? hex : `${hex.slice(0, keep)}…${hex.slice(-6)}`;
}

/** An ISO time or epoch milliseconds/seconds as a local date and time. */
export function formatTime(time: string | number): string {
  const date = typeof time === 'number' ? new Date(time < 1e12 ? time * 1000 : time) : new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleString();
}

/** Words for a transaction stage as the gateway names it. */
export function stageWords(stage: string): string {
  const words: Record<string, string> = {
    pending: 'Pending',
    final: 'Final',
    credited: 'Credited',
    refused: 'Refused',
    refunded: 'Refunded',
    pending_credit: 'Waiting for credit',
    unknown: 'Unknown',
  };
  return words[stage] ?? stage.replaceAll('_', ' ');
}
