/**
 * Who may publish and subscribe to what, from the identity in the client certificate — never from
 * what the client claims. A sensor publishes only under its own id and reads only its own commands;
 * the hub reads every sensor's reports and writes commands.
 */
import { SENSOR_PUBLISHED_KINDS, TOPIC_ROOT, parseTopic } from '@wardsight/protocol';

export interface ClientIdentity {
  commonName: string;
  role: 'hub' | 'sensor' | 'admin';
}

export function mayPublish(who: ClientIdentity, topic: string): boolean {
  const parsed = parseTopic(topic);
  if (!parsed) return false;
  if (who.role === 'sensor') return parsed.sensorId === who.commonName && SENSOR_PUBLISHED_KINDS.includes(parsed.kind);
  if (who.role === 'hub') return parsed.kind === 'commands';
  return false;
}

export function maySubscribe(who: ClientIdentity, filter: string): boolean {
  // Shared subscriptions name a group first: `$share/<group>/<filter>`.
  const plain = filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter;
  if (who.role === 'sensor') return plain === `${TOPIC_ROOT}/${who.commonName}/commands`;
  if (who.role === 'hub') {
    const parts = plain.split('/');
    // One named kind from every sensor: a wildcard in the last level would take in commands too.
    return parts.length === 5 && `${parts[0]}/${parts[1]}/${parts[2]}` === TOPIC_ROOT && parts[3] === '+' && SENSOR_PUBLISHED_KINDS.some((k) => k === parts[4]);
  }
  return false;
}

/** A sensor's MQTT client id is fixed by its identity, so one sensor cannot take over another's session. */
export function expectedClientId(who: ClientIdentity): string | null {
  return who.role === 'sensor' ? `sensor-${who.commonName}` : null;
}
