/**
 * Wardsight on an external Mosquitto broker: the configuration (mosquitto-config.ts), its access
 * rules (mosquitto-acl.ts), running it (mosquitto-process.ts), revoking sensors on it
 * (mosquitto-access.ts) and a hub driving all of it from its sensor register
 * (mosquitto-hub-broker.ts). The same rules as the embedded broker: a client certificate from the
 * hub's CA is required; a sensor publishes only wardsight/v1/sensors/<its id>/{observations,
 * behaviour,health,status} and reads only its own commands; the hub reads every sensor's reports
 * and writes commands; nothing else is allowed to anyone.
 *
 * What Mosquitto 2.0.11 (Debian 12 package) was seen to do, which decided the mechanism;
 * hub/test/mosquitto-behaviour.test.ts repeats the facts Wardsight relies on:
 *
 * - Certificate identity. With `use_identity_as_username` or `use_subject_as_username` the broker
 *   takes the username from the certificate and never calls password authentication, and the
 *   dynamic-security checks made there do not happen: a client's `clientid` binding was not
 *   enforced, and a *disabled* client connected again a moment later with its roles intact. ACL
 *   checks do happen. With `use_identity_as_username` the username is the CN alone, and a sensor
 *   certificate with CN "hub" was given the hub's rights (it sent a command to another sensor);
 *   `use_subject_as_username` makes the username `CN=<id>,OU=<role>,O=Wardsight`, which closes that.
 * - Client ids. The dynamic-security plugin's `clientid` binding is not enforced when the identity
 *   comes from the certificate, so on its own a sensor could take over another's session id (and
 *   so disconnect it). `use_username_as_clientid` closes that: Mosquitto replaces whatever id the
 *   client asked for with its username, the certificate subject, so a sensor asking for
 *   "sensor-<other id>" gets its own session and the other stays connected. The session, and the
 *   QoS 1 messages queued in it, belong to the certificate: the hub's persistent session is found
 *   again whatever id it asks for. The price: one connection per certificate, as a second
 *   connection with the same certificate closes the first ("already connected, closing old
 *   connection"); hence the hub's plugin control has a certificate of its own
 *   (mosquitto-identity.ts). The embedded broker keeps its rule "client id = sensor-<id>", so a
 *   sensor asks for that id everywhere. Receiving still defaults to "deny".
 * - Denied publishes. A PUBLISH under another sensor's id is dropped and logged as
 *   `Denied PUBLISH from <client id> (d0, q1, r0, m<id>, '<topic>', ... (<n> bytes))` (the client
 *   id being the certificate subject, `CN=<id>,OU=sensor,O=Wardsight`), under
 *   `log_type debug` only. On MQTT 3.1.1 the PUBACK still comes (the log shows reason 135, which
 *   3.1.1 cannot carry); on MQTT 5 the PUBACK carries 135 "Not authorized". A refused SUBSCRIBE is
 *   answered 0x80 (3.1.1) or 0x87 (5) and has no log line of its own.
 * - CRL. `crlfile` is read at start and again on SIGHUP (the log says "Reloading config."); from then
 *   on the revoked certificate's handshake fails with "certificate revoked". Sessions already open
 *   stay open across the reload.
 * - Kicking. The plugin's `disableClient` and `deleteClient` disconnect the sessions of that
 *   username at once ("been disconnected by administrative action"). After `deleteClient` a
 *   reconnect is let in with no rights at all. Hence a revocation is: CRL and SIGHUP first, then
 *   `deleteClient` (mosquitto-access.ts); the sensor is gone in about 0.1 s and its reconnects fail
 *   at the TLS handshake. Replaced hardware is the same, with `disableClient` and `enableClient`
 *   instead, so the sensor keeps its rights for the new certificate (which has the same subject).
 * - Privileges. Started as root, Mosquitto switches to its `user` before it opens certificates, the
 *   CRL and its log, so those live in a directory that user owns (mosquitto-config.ts).
 */
export {
  BROKER_CONTROL_ROLE,
  DEFAULT_ACL_ACCESS,
  DYNSEC_RESPONSE_TOPIC,
  DYNSEC_TOPIC,
  HUB_ROLE,
  brokerControlRole,
  brokerUsername,
  dynsecDocument,
  hubRole,
  sensorRole,
  sensorRoleName,
  sensorUsername,
} from './mosquitto-acl.js';
export type { DynsecAcl, DynsecClient, DynsecDocument, DynsecRole } from './mosquitto-acl.js';
export { MosquittoAccessControl } from './mosquitto-access.js';
export type { MosquittoAccessControlOptions, SensorAccessControl } from './mosquitto-access.js';
export { brokerOwner, installCrl, mosquittoConfigDefaults, writeMosquittoConfig } from './mosquitto-config.js';
export type { BrokerOwner, MosquittoConfigOptions } from './mosquitto-config.js';
export { DynsecControl, dynsecControlDefaults } from './mosquitto-control.js';
export type { DynsecCommand, DynsecControlOptions, DynsecResponse } from './mosquitto-control.js';
export { MOSQUITTO_ERRORS, MosquittoError } from './mosquitto-errors.js';
export type { MosquittoErrorCode } from './mosquitto-errors.js';
export { mosquittoLayout, readListener } from './mosquitto-layout.js';
export type { MosquittoLayout } from './mosquitto-layout.js';
export { logOffset, mosquittoLogDefaults, readLogLines, waitForLogLine } from './mosquitto-log.js';
export { mosquittoProcessDefaults, startMosquitto } from './mosquitto-process.js';
export type { MosquittoProcess, MosquittoProcessOptions } from './mosquitto-process.js';
export { BROKER_CONTROL_COMMON_NAME, BROKER_CONTROL_IDENTITY, ensureBrokerControlIdentity } from './mosquitto-identity.js';
export { assertReachable, blockedAncestor, openPassage } from './mosquitto-passage.js';
export type { BrokerAccount } from './mosquitto-passage.js';
export { startMosquittoHubBroker } from './mosquitto-hub-broker.js';
