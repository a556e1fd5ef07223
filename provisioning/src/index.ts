/** @wardsight/provisioning: the hub's certificate authority and the identities it issues. */
export { ProvisioningError, ProvisioningErrorCode, isProvisioningError } from './errors.js';
export { caDefaults, caPaths, createCa, ensureCa, loadCa } from './ca.js';
export type { CaOptions, CertificateAuthority } from './ca.js';
export { CERTIFICATE_USAGES, issueCertificate } from './issue.js';
export type { CertificateUsage, IssuedCertificate, IssueRequest } from './issue.js';
export { identityPaths, readIdentity, writeIdentity } from './files.js';
export type { IdentityPaths, IdentityPem } from './files.js';
export { renewalDefaults } from './stored-identity.js';
export type { StoredIdentity } from './stored-identity.js';
export {
  ensureHubClientIdentity,
  ensureHubServerIdentity,
  HUB_CLIENT_IDENTITY,
  HUB_COMMON_NAME,
  HUB_SERVER_IDENTITY,
  HUB_TLS_DIR,
  issueHubClientIdentity,
} from './hub-identities.js';
export type { HubClientIdentityOptions, HubServerIdentityOptions } from './hub-identities.js';
export { issueSensorIdentity, SENSOR_IDENTITY_NAME } from './sensor-identity.js';
export type { SensorIdentityOptions } from './sensor-identity.js';
export { identityFromCertificate } from './identity.js';
export type { CertificateSubjectFields, PeerIdentity } from './identity.js';
export { isRole, isValidSensorId, ORGANIZATION, ROLES, SENSOR_ID_PATTERN } from './subject.js';
export type { Role } from './subject.js';
export { validityDefaults } from './validity.js';
