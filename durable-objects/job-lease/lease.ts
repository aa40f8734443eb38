/**
 * Pure lease rules: a holder keeps a lease until it releases it or until it
 * expires (a crashed holder cannot block the job forever).
 */
export interface Lease {
  holder: string;
  until: number;
}

export type AcquireResult = { acquired: true; lease: Lease } | { acquired: false; heldBy: Lease };

export function acquire(current: Lease | undefined, holder: string, ttlMs: number, now: number): AcquireResult {
  if (current && current.until > now && current.holder !== holder) return { acquired: false, heldBy: current };
  return { acquired: true, lease: { holder, until: now + ttlMs } };
}

export function release(current: Lease | undefined, holder: string): Lease | undefined {
  return current && current.holder === holder ? undefined : current;
}
