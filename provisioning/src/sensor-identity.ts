/**
 * A sensor's identity for its configuration bundle: a client certificate (role sensor, CN the
 * sensor id) signed by the CA of the hub's data directory, written as `sensor.crt`, `sensor.key`
 * and `ca.crt` into the bundle directory.
 */
import { loadCa } from './ca.js';
import { issueAndStore } from './stored-identity.js';
import type { StoredIdentity } from './stored-identity.js';
import { assertCommonName } from './subject.js';

/** The file stem of a sensor's identity inside its bundle; the sensor id is inside the certificate. */
export const SENSOR_IDENTITY_NAME = 'sensor';

export interface SensorIdentityOptions {
  validDays?: number;
}

/**
 * Issues a client identity for `sensorId` into `outDir`. The CA must already exist in `dataDir`
 * (PROV_ERR_CA_MISSING otherwise): a sensor signed by a CA the hub does not use could never connect.
 */
export async function issueSensorIdentity(
  dataDir: string,
  sensorId: string,
  outDir: string,
  opts: SensorIdentityOptions = {},
): Promise<StoredIdentity> {
  assertCommonName(sensorId, 'sensor');
  const ca = await loadCa(dataDir);
  return issueAndStore(ca, outDir, SENSOR_IDENTITY_NAME, {
    commonName: sensorId,
    role: 'sensor',
    usage: 'client',
    validDays: opts.validDays,
  });
}
