/**
 * Message schemas of the wire contract. TypeBox gives both the JSON Schema (validated by Ajv on the
 * hub, and by the sensor before it queues a message) and the TypeScript type.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

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

/** Peers listed per device and interval at most; the rest are counted in `peersOmitted`. */
export const MAX_BEHAVIOUR_PEERS = 256;
/** Devices per behaviour message at most; a sensor splits a larger interval over several messages. */
export const MAX_BEHAVIOUR_DEVICES = 500;

/**
 * One conversation of a device in an interval: with whom (`address`), on which port and transport,
 * and which side the device was on (`client`: it sent to the peer's `port`; `server`: it answered
 * from its own `port`). `app` is the application the sensor recognised on it, where it did
 * (`dicom`, `hl7`, `tls`, `http`, …). Counts are of what the device sent.
 */
export const BehaviourPeerSchema = Type.Object(
  {
    address: Type.String({ minLength: 2, maxLength: 45 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    transport: Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('icmp'), Type.Literal('other')]),
    role: Type.Union([Type.Literal('client'), Type.Literal('server')]),
    app: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    packets: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    /** The conversation's first packet in the interval, where the sensor kept it. */
    firstSeen: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type BehaviourPeer = Static<typeof BehaviourPeerSchema>;

/**
 * What one device sent in one interval, as this sensor saw its own frames: its source addresses,
 * when in the interval it was first and last heard, totals, and its conversations, largest first.
 */
export const DeviceBehaviourSchema = Type.Object(
  {
    device: DeviceKeySchema,
    addresses: Type.Array(Type.String({ minLength: 2, maxLength: 45 }), { maxItems: 16 }),
    firstSeen: Timestamp,
    lastSeen: Timestamp,
    packets: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    peers: Type.Array(BehaviourPeerSchema, { maxItems: MAX_BEHAVIOUR_PEERS }),
    /** Conversations left out of `peers` to keep the message bounded. */
    peersOmitted: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type DeviceBehaviour = Static<typeof DeviceBehaviourSchema>;

/**
 * `…/behaviour`: per-device communication summaries of one interval of capture time (packet
 * timestamps, not the sensor's clock at sending), so a capture replayed fast summarises as it was recorded.
 */
export const BehaviourBatchSchema = Type.Object(
  {
    ...Envelope,
    intervalStart: Timestamp,
    intervalEnd: Timestamp,
    devices: Type.Array(DeviceBehaviourSchema, { minItems: 1, maxItems: MAX_BEHAVIOUR_DEVICES }),
  },
  { additionalProperties: false },
);
export type BehaviourBatch = Static<typeof BehaviourBatchSchema>;

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

/**
 * Bounds of the health figures. Sizes are in MB of 10^6 bytes (as `memRssMB`), to one decimal.
 * A clock offset may be decades wide: a board without a real-time clock boots in 1970 until NTP
 * answers, and that is what the offset is there to show.
 */
export const HEALTH_BOUNDS = {
  healthIntervalS: { minimum: 1, maximum: 3600 },
  /** 128 cores fully busy, as `top` counts a process's CPU. */
  processCpuPct: { minimum: 0, maximum: 12_800 },
  loadAverage: { minimum: 0, maximum: 100_000 },
  /** Below any rated storage temperature to above any junction limit of the boards in use. */
  temperatureC: { minimum: -60, maximum: 150 },
  /** 16 TiB of memory. */
  memoryMB: { minimum: 0, maximum: 17_592_187 },
  /** 1 EB of disk. */
  diskMB: { minimum: 0, maximum: 1e12 },
  /** ±300 years. */
  clockOffsetMs: { minimum: -1e13, maximum: 1e13 },
  counter: { minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
} as const;

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const counter = () => Type.Integer(HEALTH_BOUNDS.counter);

/** The machine's memory as the kernel counts it (proc(5) /proc/meminfo); `usedMB` is total minus available. */
export const HealthMemorySchema = Type.Object(
  {
    totalMB: Type.Number(HEALTH_BOUNDS.memoryMB),
    usedMB: Type.Number(HEALTH_BOUNDS.memoryMB),
    availableMB: Type.Number(HEALTH_BOUNDS.memoryMB),
  },
  { additionalProperties: false },
);
export type HealthMemory = Static<typeof HealthMemorySchema>;

/**
 * The file system holding the sensor's data directory, as df(1) -P shows it (statfs(2)): `path` is
 * its mount point; `freeMB` is what an unprivileged writer may still use (f_bavail).
 */
export const HealthDiskSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 4096 }),
    totalMB: Type.Number(HEALTH_BOUNDS.diskMB),
    usedMB: Type.Number(HEALTH_BOUNDS.diskMB),
    freeMB: Type.Number(HEALTH_BOUNDS.diskMB),
  },
  { additionalProperties: false },
);
export type HealthDisk = Static<typeof HealthDiskSchema>;

/** The outbox's own accounting; each figure is optional, so an outbox sends what it keeps. */
export const HealthOutboxSchema = Type.Object(
  {
    /** Messages waiting for the hub's acknowledgement. */
    depth: Type.Optional(counter()),
    bytes: Type.Optional(counter()),
    /** The most the outbox may hold before it sheds. */
    budgetBytes: Type.Optional(counter()),
    /** Messages dropped to stay within the budget, since the sensor started. */
    shedMessages: Type.Optional(counter()),
    /** Messages folded into a newer one of the same kind rather than queued. */
    coalesced: Type.Optional(counter()),
  },
  { additionalProperties: false },
);
export type HealthOutbox = Static<typeof HealthOutboxSchema>;

/**
 * Sensor telemetry, retained on `…/health`. The fields after `location` came later: each is
 * optional so that older sensors keep validating, and `null` where this sensor could not read it.
 */
export const HealthSchema = Type.Object(
  {
    ...Envelope,
    version: Type.String({ maxLength: 64 }),
    uptimeS: Type.Number({ minimum: 0 }),
    memRssMB: Type.Number({ minimum: 0 }),
    /** Highest resident memory since start. */
    peakRssMB: Type.Number({ minimum: 0 }),
    /** CPU time of the sensor process over the last interval, in percent of one core (as top(1) shows it). */
    cpuPct: nullable(Type.Number(HEALTH_BOUNDS.processCpuPct)),
    devices: Type.Integer({ minimum: 0 }),
    outboxDepth: Type.Integer({ minimum: 0 }),
    capture: CaptureCountersSchema,
    location: LocationSchema,
    /** How often this sensor reports: the hub calls its health stale after a few intervals without one. */
    healthIntervalS: Type.Optional(Type.Integer(HEALTH_BOUNDS.healthIntervalS)),
    /** The whole machine's CPU busy time since the previous report, 0–100 over all cores. */
    cpuLoadPct: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 100 }))),
    /** Run-queue load averages over 1, 5 and 15 minutes (proc(5) /proc/loadavg). */
    loadAvg: Type.Optional(nullable(Type.Tuple([Type.Number(HEALTH_BOUNDS.loadAverage), Type.Number(HEALTH_BOUNDS.loadAverage), Type.Number(HEALTH_BOUNDS.loadAverage)]))),
    /** The CPU's (or SoC's) temperature; null where the board has no sensor, as on a virtual machine. */
    temperatureC: Type.Optional(nullable(Type.Number(HEALTH_BOUNDS.temperatureC))),
    memory: Type.Optional(nullable(HealthMemorySchema)),
    disk: Type.Optional(nullable(HealthDiskSchema)),
    /** Hub clock minus sensor clock, as the sensor measured it; null until it could. */
    clockOffsetMs: Type.Optional(nullable(Type.Number(HEALTH_BOUNDS.clockOffsetMs))),
    outbox: Type.Optional(HealthOutboxSchema),
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
