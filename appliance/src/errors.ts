/**
 * Stable error codes of the sensor appliance (configuration, systemd integration, supervision,
 * installation). A code names one situation and is never reused for another; the message says what
 * to do about it. Software updates keep their own codes in `update/errors.ts`.
 */
export const APPLIANCE_ERRORS = {
  /** The configuration file cannot be read, is not YAML/JSON, or does not match the schema. */
  APPLIANCE_ERR_CONFIG: 'The sensor configuration is not usable',
  /** $NOTIFY_SOCKET names a socket the service manager cannot be reached on. */
  APPLIANCE_ERR_NOTIFY_SOCKET: 'The service manager notification socket cannot be used',
  /** A supervised component was started again after it had been stopped. */
  APPLIANCE_ERR_SUPERVISOR_STOPPED: 'The supervisor has been stopped',
  /** An installation option (user name, path, number) is not acceptable. */
  APPLIANCE_ERR_INSTALL_OPTION: 'An installation option is not acceptable',
  /** The configuration bundle given to the installer lacks a file it needs. */
  APPLIANCE_ERR_INSTALL_BUNDLE: 'The configuration bundle is incomplete',
  /** A step of the installation (a directory, a file, a user, systemctl) failed. */
  APPLIANCE_ERR_INSTALL_STEP: 'An installation step failed',
  /** The running software's version cannot be read (it is not installed as a whole tree). */
  APPLIANCE_ERR_VERSION: 'The sensor software version is unknown',
} as const;
export type ApplianceErrorCode = keyof typeof APPLIANCE_ERRORS;

export class ApplianceError extends Error {
  readonly code: ApplianceErrorCode;
  constructor(code: ApplianceErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ?? APPLIANCE_ERRORS[code], options);
    this.name = 'ApplianceError';
    this.code = code;
  }
}

/** True when `error` is an ApplianceError, with the given code where one is passed. */
export function isApplianceError(error: unknown, code?: ApplianceErrorCode): error is ApplianceError {
  return error instanceof ApplianceError && (code === undefined || error.code === code);
}
