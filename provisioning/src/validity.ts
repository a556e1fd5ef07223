/** Validity periods of certificates: defaults, bounds and the notBefore / notAfter window. */
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const validityDefaults = {
  /** The CA outlives the identities it signs: ten years. */
  caDays: 3650,
  /**
   * Sensors and hubs are left alone for long stretches; a little over two years lets a yearly
   * maintenance visit renew them with room to spare.
   */
  leafDays: 825,
  /** Anything longer than a century is a typing mistake, not a policy. */
  maxDays: 36_500,
  /**
   * notBefore is set this far in the past so that a sensor whose clock is slightly behind the hub's
   * (boards without a real-time clock, before NTP has settled) still accepts a new certificate.
   */
  backdateMs: 60 * 60 * 1000,
} as const;

/** `days` if it is a whole number of days within bounds, `fallback` if it is absent. */
export function validDaysOrDefault(days: number | undefined, fallback: number): number {
  if (days === undefined) return fallback;
  if (!Number.isInteger(days) || days < 1 || days > validityDefaults.maxDays) {
    throw new ProvisioningError(
      ProvisioningErrorCode.BadValidity,
      `validDays must be a whole number of days from 1 to ${validityDefaults.maxDays}, got ${String(days)}`,
    );
  }
  return days;
}

/**
 * The window of a certificate valid for `days` from `now`. A certificate is never valid past
 * `notAfterLimit` (its issuer's notAfter): a chain is only as valid as its CA, so the period is
 * clamped rather than issued with a date nothing will honour.
 */
export function validityWindow(days: number, now: Date, notAfterLimit?: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(now.getTime() - validityDefaults.backdateMs);
  let notAfter = new Date(now.getTime() + days * DAY_MS);
  if (notAfterLimit && notAfter > notAfterLimit) notAfter = notAfterLimit;
  // X.509 times carry whole seconds; drop the milliseconds so the stored value equals the returned one.
  notBefore.setUTCMilliseconds(0);
  notAfter.setUTCMilliseconds(0);
  return { notBefore, notAfter };
}
