/**
 * MQTT topic names of the wire contract (DESIGN.md, "The wire contract").
 * A sensor publishes only under its own id; the broker enforces that from the client certificate.
 */
export const CONTRACT_VERSION = 1 as const;
export const TOPIC_ROOT = 'wardsight/v1/sensors';

export const MESSAGE_KINDS = ['observations', 'behaviour', 'health', 'status', 'commands'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Kinds a sensor may publish (everything but commands, which flow hub → sensor). */
export const SENSOR_PUBLISHED_KINDS: readonly MessageKind[] = ['observations', 'behaviour', 'health', 'status'];

/** A sensor id is also a topic level and a certificate common name: keep it plain. */
export const SENSOR_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isSensorId(value: string): boolean {
  return SENSOR_ID_PATTERN.test(value);
}

export function topicFor(sensorId: string, kind: MessageKind): string {
  return `${TOPIC_ROOT}/${sensorId}/${kind}`;
}

/** Wildcard subscription for one kind from every sensor; `group` makes it an MQTT 5 / Mosquitto shared subscription. */
export function subscriptionFor(kind: MessageKind, group?: string): string {
  const topic = `${TOPIC_ROOT}/+/${kind}`;
  return group ? `$share/${group}/${topic}` : topic;
}

export interface ParsedTopic {
  sensorId: string;
  kind: MessageKind;
}

/** Parses a contract topic; returns null for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== TOPIC_ROOT) return null;
  const sensorId = parts[3] ?? '';
  const kind = parts[4] as MessageKind;
  if (!isSensorId(sensorId) || !MESSAGE_KINDS.includes(kind)) return null;
  return { sensorId, kind };
}
