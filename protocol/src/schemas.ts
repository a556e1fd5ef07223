/**
 * Message schemas of the wire contract. TypeBox gives both the JSON Schema (validated by Ajv on the
 * hub, and by the sensor before it queues a message) and the TypeScript type.
 */
import { Type, type Static } from '@sinclair/typebox';

const SensorIdSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
const Timestamp = Type.String({ format: 'date-time' });

/** `mac:` + lower-case colon-separated MAC, or `ip:` + address for devices seen only through a router. */
export const DeviceKeySchema = Type.String({
  pattern: '^(mac:([0-9a-f]{2}:){5}[0-9a-f]{2}|ip:[0-9a-f.:]{2,45})$',
});
export type DeviceKey = Static<typeof DeviceKeySchema>;

/** Fields every message carries (DESIGN.md): contract version, sender, per-sensor sequence, send time. */
const Envelope = {
  v: Type.Literal(1),
  sensorId: SensorIdSchema,
  seq: Type.Integer({ minimum: 1 }),
  sentAt: Timestamp,
};

export const ATTRIBUTE_PATTERN = '^[a-z][a-zA-Z0-9]*(\\.[a-zA-Z0-9]+)*$';

export const ObservationSchema = Type.Object(
  {
    device: DeviceKeySchema,
    /** What is observed: `ip`, `hostname`, `vendor`, `service`, `dhcp.vendorClass`, … */
    attribute: Type.String({ pattern: ATTRIBUTE_PATTERN, maxLength: 64 }),
    value: Type.String({ maxLength: 1024 }),
    /** Where the fact came from, e.g. `dhcp.option12`, `arp.sender`, `oui`. */
    signal: Type.String({ minLength: 1, maxLength: 64 }),
    /** The raw evidence as seen on the wire (printable form), kept beside the parsed value. */
    evidence: Type.String({ maxLength: 2048 }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    firstSeen: Timestamp,
    lastSeen: Timestamp,
  },
  { additionalProperties: false },
);
export type Observation = Static<typeof ObservationSchema>;

export const MAX_OBSERVATIONS_PER_BATCH = 1000;

export const ObservationBatchSchema = Type.Object(
  {
    ...Envelope,
    observations: Type.Array(ObservationSchema, { minItems: 1, maxItems: MAX_OBSERVATIONS_PER_BATCH }),
  },
  { additionalProperties: false },
);
export type ObservationBatch = Static<typeof ObservationBatchSchema>;

export const LocationSchema = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 128 }),
    building: Type.Optional(Type.String({ maxLength: 128 })),
    floor: Type.String({ minLength: 1, maxLength: 64 }),
    /** Part of a floor a sensor watches (a wing, a ward, a switch closet's reach). */
    zone: Type.Optional(Type.String({ maxLength: 128 })),
    room: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type Location = Static<typeof LocationSchema>;

export const CaptureCountersSchema = Type.Object(
  {
    /** Packets the capture handed to the decoder. */
    packets: Type.Integer({ minimum: 0 }),
    /** libpcap's own counters (pcap_stats), where the source is live. */
    received: Type.Integer({ minimum: 0 }),
    dropped: Type.Integer({ minimum: 0 }),
    ifDropped: Type.Integer({ minimum: 0 }),
    /** Packets the decoders could not read (truncated or malformed). */
    malformed: Type.Integer({ minimum: 0 }),
    /** IPv4 and IPv6 fragments among the packets (only the first of a datagram's carries its ports); absent from older sensors. */
    fragments: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Packets the sensor itself dropped because a worker's queue was full (live capture only). */
    queueDrops: Type.Integer({ minimum: 0 }),
    /** Packets a crashed worker had taken but not reported. */
    lost: Type.Integer({ minimum: 0 }),
    /** Worker restarts after a crash. */
    restarts: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CaptureCounters = Static<typeof CaptureCountersSchema>;

export const HealthSchema = Type.Object(
  {
    ...Envelope,
    version: Type.String({ maxLength: 64 }),
    uptimeS: Type.Number({ minimum: 0 }),
    memRssMB: Type.Number({ minimum: 0 }),
    /** Highest resident memory since start. */
    peakRssMB: Type.Number({ minimum: 0 }),
    cpuPct: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    devices: Type.Integer({ minimum: 0 }),
    outboxDepth: Type.Integer({ minimum: 0 }),
    capture: CaptureCountersSchema,
    location: LocationSchema,
  },
  { additionalProperties: false },
);
export type Health = Static<typeof HealthSchema>;

export const StatusSchema = Type.Object(
  {
    ...Envelope,
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    location: LocationSchema,
    version: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type Status = Static<typeof StatusSchema>;

/**
 * Hub → sensor on `…/{sensorId}/commands`. `ack` tells a sensor which of its messages the hub has
 * stored (applied, or already had): only then may the sensor drop them from its outbox. A broker's
 * PUBACK is not enough, since a broker may acknowledge what it then drops (a denied publish on
 * Mosquitto, a hub that dies before storing). `rejected` lists messages the hub will never accept,
 * with the reason, so the sensor can report them and stop resending.
 */
export const AckCommandSchema = Type.Object(
  {
    v: Type.Literal(1),
    command: Type.Literal('ack'),
    sensorId: SensorIdSchema,
    sentAt: Timestamp,
    stored: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10_000 }),
    rejected: Type.Array(Type.Object({ seq: Type.Integer({ minimum: 1 }), reason: Type.String({ maxLength: 64 }), detail: Type.String({ maxLength: 300 }) }, { additionalProperties: false }), { maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type AckCommand = Static<typeof AckCommandSchema>;
