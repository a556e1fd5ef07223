/** @wardsight/provisioning: the hub's certificate authority and the identities it issues. */
export { ProvisioningError, ProvisioningErrorCode, isProvisioningError } from './errors.js';
export { caDefaults, caPaths, createCa, ensureCa, loadCa } from './ca.js';
export type { CaOptions, CertificateAuthority } from './ca.js';
export { addToCrl, crlDefaults, crlNeedsRenewal, crlPath, ensureCrl, isRevoked, issueCrl, normaliseSerial, parseCrl, publishCrl, readCrl, REVOCATION_REASONS, writeCrl } from './crl.js';
export type { CertificateRevocationList, CrlOptions, RevocationReason, RevokedCertificate } from './crl.js';
export { CERTIFICATE_USAGES, issueCertificate, signCertificate } from './issue.js';
export { certificateRequestFor, createCertificateRequest, readCertificateRequest } from './certificate-request.js';
export { ensurePrivateDir, fileModes, replaceFile } from './file-modes.js';
export type { CertificateRequestPair } from './certificate-request.js';
export { enrolmentTokenDefaults, enrolmentTokenHash, enrolmentUri, newEnrolmentToken, parseEnrolmentToken, readEnrolmentText, sameTokenHash } from './enrolment-token.js';
export { BUNDLE_FILES, bundleConfigYaml, writeConfigBundle } from './config-bundle.js';
export type { BundleLocation, ConfigBundle, ConfigBundleRequest } from './config-bundle.js';
export type { EnrolmentToken } from './enrolment-token.js';
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
  hubClientCommonName,
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
export { generateReleaseKeyPair, loadReleasePrivateKey, loadReleasePublicKey, parseReleasePublicKey, releaseKeyDefaults, releaseKeyId, releaseKeyPaths } from './release-keys.js';
export type { ReleaseKeyPair, ReleaseKeyPaths } from './release-keys.js';
export { compareReleaseVersions, isReleaseVersion, parseReleaseVersion, releaseVersionDefaults } from './release-version.js';
export type { ReleaseVersion } from './release-version.js';
export { encodeReleaseManifest, parseReleaseManifest, RELEASE_ENTRIES, RELEASE_FORMAT, RELEASE_PRODUCT, releaseManifestDefaults } from './release-manifest.js';
export type { ReleaseEntry, ReleaseManifest } from './release-manifest.js';
export { releasePathProblem, symlinkTargetProblem } from './release-paths.js';
export { openSignedRelease } from './release-reader.js';
export { releaseSignatureDefaults, signReleaseManifest, verifyReleaseManifest } from './release-signature.js';
export type { ReleaseSignature } from './release-signature.js';
export type { SignedRelease } from './release-reader.js';
export { checkReleaseContent, releaseContentDefaults } from './release-content.js';
export type { ReleaseContentSummary } from './release-content.js';
export { verifyRelease } from './release-verify.js';
export type { VerifiedRelease } from './release-verify.js';
export { releaseBundleName, signRelease } from './release-sign.js';
export type { SignReleaseRequest } from './release-sign.js';
