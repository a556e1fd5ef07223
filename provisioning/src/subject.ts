/**
 * What a Wardsight certificate says about its holder: the subject is `O=Wardsight, OU=<role>,
 * CN=<commonName>` (written here in X.500 order, most general first; RFC 4514 text shows it the
 * other way round). The broker reads the role and common name back from a peer certificate, so the
 * rules for both live here, on the one side that writes them.
 */
import type { JsonName } from '@peculiar/x509';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';

export const ORGANIZATION = 'Wardsight';

export const ROLES = ['hub', 'sensor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A sensor id is also an MQTT topic level (`wardsight/v1/sensors/{sensorId}/…`) and a file name,
 * so it is kept to lower-case letters, digits and hyphens: no `/`, `+`, `#` or dots.
 */
export const SENSOR_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** X.520 ub-common-name. */
const COMMON_NAME_MAX = 64;
/** Control and format characters (including bidirectional overrides) have no place in a name. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/u;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isValidSensorId(value: unknown): value is string {
  return typeof value === 'string' && SENSOR_ID_PATTERN.test(value);
}

export function assertRole(role: unknown): asserts role is Role {
  if (!isRole(role)) {
    throw new ProvisioningError(ProvisioningErrorCode.BadRole, `role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  }
}

/** Refuses a common name that is not acceptable for `role`. */
export function assertCommonName(commonName: unknown, role: Role): asserts commonName is string {
  if (role === 'sensor') {
    if (!isValidSensorId(commonName)) {
      throw new ProvisioningError(
        ProvisioningErrorCode.BadName,
        `sensor id ${JSON.stringify(commonName)} is not valid: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit (for example "floor3-east")`,
      );
    }
    return;
  }
  assertPrintableName(commonName);
}

/** Refuses a name that is empty, too long for a common name, padded, or carries control characters. */
export function assertPrintableName(commonName: unknown): asserts commonName is string {
  if (
    typeof commonName !== 'string' ||
    commonName.length === 0 ||
    [...commonName].length > COMMON_NAME_MAX ||
    commonName.trim() !== commonName ||
    UNPRINTABLE.test(commonName)
  ) {
    throw new ProvisioningError(
      ProvisioningErrorCode.BadName,
      `common name ${JSON.stringify(commonName)} is not valid: use 1 to ${COMMON_NAME_MAX} printable characters without leading or trailing spaces`,
    );
  }
}

/** The subject of a certificate for `commonName` in `role`, built field by field (never parsed from text). */
export function subjectName(commonName: string, role: Role): JsonName {
  return [{ O: [ORGANIZATION] }, { OU: [role] }, { CN: [commonName] }];
}

/** The subject of the CA certificate. */
export function caSubjectName(commonName: string): JsonName {
  return [{ O: [ORGANIZATION] }, { CN: [commonName] }];
}
