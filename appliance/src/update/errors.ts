/**
 * Stable error codes of software updates on the sensor (installing a signed release into a slot,
 * the trial of a new version, rolling back). A code names one situation and is never reused for
 * another; the message says what to do about it. This module imports nothing, so the launcher
 * (which runs from its own copy, outside the slots) can use it.
 */
export const UPDATE_ERRORS = {
  /** The manifest's signature does not verify with the trusted release public key. */
  APPLIANCE_ERR_UPDATE_SIGNATURE: 'The release is not signed by the trusted release key',
  /** A payload file differs from the signed manifest (hash, size), is unlisted or is missing. */
  APPLIANCE_ERR_UPDATE_TAMPERED: 'The release does not match its signed manifest',
  /** The file is not a release bundle, or its manifest has another shape or product. */
  APPLIANCE_ERR_UPDATE_MALFORMED: 'The file is not a usable release bundle',
  /** The trusted release public key cannot be read as an Ed25519 public key. */
  APPLIANCE_ERR_UPDATE_PUBLIC_KEY: 'The trusted release public key cannot be used',
  /** The release's version is not newer than the running version. */
  APPLIANCE_ERR_UPDATE_OLDER: 'The release is not newer than the running version',
  /** The release's version was rolled back on this sensor before. */
  APPLIANCE_ERR_UPDATE_KNOWN_BAD: 'The release is marked bad on this sensor',
  /** The release may only update from a version newer than the running one. */
  APPLIANCE_ERR_UPDATE_PREREQUISITE: 'The running version is too old to update to this release directly',
  /** A new version is still on trial; its slot's predecessor must not be overwritten yet. */
  APPLIANCE_ERR_UPDATE_TRIAL_PENDING: 'A previous update is still on trial',
  /** state.json cannot be read or does not have the state's form. */
  APPLIANCE_ERR_UPDATE_STATE: 'The update state file is not usable',
  /** Another process holds the install root's lock for longer than the wait allows. */
  APPLIANCE_ERR_UPDATE_LOCKED: 'Another update operation is using the install root',
  /** The install root, its slots or its `current` link are not in a usable shape. */
  APPLIANCE_ERR_UPDATE_LAYOUT: 'The install root is not usable',
} as const;
export type UpdateErrorCode = keyof typeof UPDATE_ERRORS;

export class UpdateError extends Error {
  readonly code: UpdateErrorCode;
  constructor(code: UpdateErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${UPDATE_ERRORS[code]}: ${detail}` : UPDATE_ERRORS[code], options);
    this.name = 'UpdateError';
    this.code = code;
  }
}

/** True when `error` is an UpdateError, with the given code where one is passed. */
export function isUpdateError(error: unknown, code?: UpdateErrorCode): error is UpdateError {
  return error instanceof UpdateError && (code === undefined || error.code === code);
}
