/**
 * Who may do what on an external Mosquitto broker, written as clients and roles of its
 * dynamic-security plugin (https://mosquitto.org/documentation/dynamic-security/): the same rules
 * the embedded broker applies in acl.ts. A sensor publishes only under its own id and reads only its
 * own commands; the hub reads every sensor's reports, writes commands and drives the plugin; any
 * other certificate from the CA gets nothing, because every access defaults to "deny".
 *
 * The listener sets `use_subject_as_username`, so a client's username is the subject of its
 * certificate as OpenSSL prints it in RFC 2253 order (`CN=floor3-east,OU=sensor,O=Wardsight`).
 * The role (OU) is part of the name: a sensor certificate whose common name happens to be "hub",
 * or an admin certificate named like a sensor, matches no client here and gets nothing. With
 * `use_identity_as_username` the username would be the CN alone and such a certificate would
 * inherit the rights of the hub or of that sensor (seen on Mosquitto 2.0.11).
 *
 * The hub holds two clients: its ingest (`CN=hub`) reads reports and writes commands; its broker
 * control (`CN=broker-control`, mosquitto-identity.ts) only drives the plugin.
 */
import { SENSOR_PUBLISHED_KINDS, TOPIC_ROOT, topicFor } from '@wardsight/protocol';
import { HUB_COMMON_NAME, hubClientCommonName, isValidSensorId, ORGANIZATION } from '@wardsight/provisioning';
import { MosquittoError } from './mosquitto-errors.js';
import { BROKER_CONTROL_COMMON_NAME } from './mosquitto-identity.js';

/** The plugin's control topic (dynamic-security plugin, "Control topic" and "Responses"). */
export const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';
export const DYNSEC_RESPONSE_TOPIC = `${DYNSEC_TOPIC}/response`;
export const HUB_ROLE = 'wardsight-hub';
export const BROKER_CONTROL_ROLE = 'wardsight-broker-control';

export type DynsecAclType = 'publishClientSend' | 'publishClientReceive' | 'subscribeLiteral' | 'subscribePattern' | 'unsubscribeLiteral' | 'unsubscribePattern';

export interface DynsecAcl {
  acltype: DynsecAclType;
  topic: string;
  allow: boolean;
}

export interface DynsecRole {
  rolename: string;
  acls: DynsecAcl[];
}

export interface DynsecClient {
  username: string;
  roles: { rolename: string }[];
}

/** The plugin's configuration file (`plugin_opt_config_file`), as the plugin itself writes it. */
export interface DynsecDocument {
  clients: DynsecClient[];
  groups: never[];
  roles: DynsecRole[];
  defaultACLAccess: Record<'publishClientSend' | 'publishClientReceive' | 'subscribe' | 'unsubscribe', boolean>;
}

/**
 * Nothing is allowed unless a role allows it. Receiving is denied too: should a client ever sit in
 * another's session (the listener's `use_username_as_clientid` is what prevents it, see
 * mosquitto.ts), it is still not sent what was queued for that other client.
 */
export const DEFAULT_ACL_ACCESS: DynsecDocument['defaultACLAccess'] = {
  publishClientSend: false,
  publishClientReceive: false,
  subscribe: false,
  unsubscribe: true,
};

/** The username Mosquitto gives a Wardsight certificate under `use_subject_as_username`. */
export function brokerUsername(commonName: string, role: 'hub' | 'sensor'): string {
  return `CN=${commonName},OU=${role},O=${ORGANIZATION}`;
}

export function assertSensorId(sensorId: string): void {
  if (!isValidSensorId(sensorId)) {
    throw new MosquittoError('HUB_ERR_SENSOR_ID', `${JSON.stringify(sensorId)}: use 1 to 63 lower-case letters, digits and hyphens`);
  }
}

export function sensorUsername(sensorId: string): string {
  assertSensorId(sensorId);
  return brokerUsername(sensorId, 'sensor');
}

export function sensorRoleName(sensorId: string): string {
  assertSensorId(sensorId);
  return `wardsight-sensor-${sensorId}`;
}

/** One sensor's rights: publish its four kinds, subscribe to and receive its own commands. */
export function sensorRole(sensorId: string): DynsecRole {
  const commands = topicFor(sensorId, 'commands');
  return {
    rolename: sensorRoleName(sensorId),
    acls: [
      ...SENSOR_PUBLISHED_KINDS.map((kind): DynsecAcl => ({ acltype: 'publishClientSend', topic: topicFor(sensorId, kind), allow: true })),
      { acltype: 'subscribeLiteral', topic: commands, allow: true },
      { acltype: 'publishClientReceive', topic: commands, allow: true },
    ],
  };
}

/**
 * The hub's ingest rights: read one named kind from every sensor (plainly or as a shared
 * subscription, `$share/<group>/…`) and write commands. Mosquitto 2.0.11 checks a shared
 * subscription with its `$share/<group>/` prefix: without the second pattern the hub's
 * `$share/hub/wardsight/v1/sensors/+/health` was refused.
 */
export function hubRole(): DynsecRole {
  const reports = SENSOR_PUBLISHED_KINDS.map((kind) => `${TOPIC_ROOT}/+/${kind}`);
  return {
    rolename: HUB_ROLE,
    acls: [
      ...reports.flatMap((topic): DynsecAcl[] => [
        { acltype: 'subscribePattern', topic, allow: true },
        { acltype: 'subscribePattern', topic: `$share/+/${topic}`, allow: true },
        { acltype: 'publishClientReceive', topic, allow: true },
      ]),
      { acltype: 'publishClientSend', topic: `${TOPIC_ROOT}/+/commands`, allow: true },
    ],
  };
}

/** The broker control's rights: send commands to the dynamic-security plugin and read its answers. */
export function brokerControlRole(): DynsecRole {
  return {
    rolename: BROKER_CONTROL_ROLE,
    acls: [
      { acltype: 'publishClientSend', topic: DYNSEC_TOPIC, allow: true },
      { acltype: 'subscribeLiteral', topic: DYNSEC_RESPONSE_TOPIC, allow: true },
      { acltype: 'publishClientReceive', topic: DYNSEC_RESPONSE_TOPIC, allow: true },
    ],
  };
}

export function sensorClient(sensorId: string): DynsecClient {
  return { username: sensorUsername(sensorId), roles: [{ rolename: sensorRoleName(sensorId) }] };
}

export function hubClient(): DynsecClient {
  return { username: brokerUsername(HUB_COMMON_NAME, 'hub'), roles: [{ rolename: HUB_ROLE }] };
}

/** Another instance of the hub, allowed to join this broker: the hub's rights under its own name. */
export function hubInstanceClient(instance: string): DynsecClient {
  return { username: brokerUsername(hubClientCommonName(instance), 'hub'), roles: [{ rolename: HUB_ROLE }] };
}

export function brokerControlClient(): DynsecClient {
  return { username: brokerUsername(BROKER_CONTROL_COMMON_NAME, 'hub'), roles: [{ rolename: BROKER_CONTROL_ROLE }] };
}

/**
 * The plugin's starting configuration: the hub's two clients, the other hub instances allowed to
 * join, and the sensors admitted so far.
 */
export function dynsecDocument(sensorIds: readonly string[], hubInstances: readonly string[] = []): DynsecDocument {
  const unique = [...new Set(sensorIds)].sort();
  return {
    clients: [hubClient(), brokerControlClient(), ...[...new Set(hubInstances)].sort().map(hubInstanceClient), ...unique.map(sensorClient)],
    groups: [],
    roles: [hubRole(), brokerControlRole(), ...unique.map(sensorRole)],
    defaultACLAccess: DEFAULT_ACL_ACCESS,
  };
}
