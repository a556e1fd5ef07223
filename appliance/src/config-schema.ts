/**
 * The schema of the sensor's configuration file (`wardsight.yaml`). Everything has a default but the
 * sensor's identity, its hub and what it captures; every section added since the first version is
 * optional, so older files stay valid.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LocationSchema } from '@wardsight/protocol';

/** The file a sensor reads when none is named, and where an installed sensor keeps it. */
export const DEFAULT_CONFIG_FILE = 'wardsight.yaml';
export const DEFAULT_CONFIG_PATH = `/etc/wardsight/${DEFAULT_CONFIG_FILE}`;

/** Bounds of the restart backoff a sensor may be configured with (see supervisor.ts). */
export const backoffBounds = { minBackoffMs: { minimum: 100, maximum: 60_000 }, maxBackoffMs: { minimum: 1000, maximum: 3_600_000 } } as const;

const LiveCaptureSchema = Type.Object(
  {
    interface: Type.String({ minLength: 1, maxLength: 64 }),
    filter: Type.Optional(Type.String({ maxLength: 4096 })),
    snapLength: Type.Optional(Type.Integer({ minimum: 96, maximum: 262_144 })),
    bufferSizeMB: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    promiscuous: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const FileCaptureSchema = Type.Object(
  {
    file: Type.String({ minLength: 1 }),
    filter: Type.Optional(Type.String({ maxLength: 4096 })),
    /** `fast`: as fast as the sensor takes it (the default); `recorded`: at the pace of the capture's timestamps. */
    speed: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('recorded')])),
  },
  { additionalProperties: false },
);

export const SensorConfigSchema = Type.Object(
  {
    sensorId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
    /** A name for people (the hub's lists, the dashboard); the id stays the key. */
    sensorName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    hub: Type.Object(
      {
        url: Type.String({ pattern: '^mqtts://' }),
        /** The hub's HTTPS API, used once at first boot to enrol with the token below. */
        enrolUrl: Type.Optional(Type.String({ pattern: '^https://[^\\s/]+', maxLength: 2048 })),
      },
      { additionalProperties: false },
    ),
    /** First-boot enrolment: the one-time token a technician copied with the configuration. */
    enrolment: Type.Optional(Type.Object({ tokenFile: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false })),
    /** Folder holding `sensor.crt`, `sensor.key` (mode 0600) and the hub's `ca.crt`. */
    tlsDir: Type.String({ minLength: 1 }),
    /** Where the sensor keeps its LevelDB store. */
    dataDir: Type.String({ minLength: 1 }),
    location: LocationSchema,
    capture: Type.Union([LiveCaptureSchema, FileCaptureSchema]),
    healthIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    flushIntervalMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
    /** systemd watchdog pings (only where the service manager asks for them, see watchdog.ts). */
    watchdog: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
    /** How long the capture waits before it is started again after a failure. */
    supervisor: Type.Optional(
      Type.Object(
        {
          minBackoffMs: Type.Optional(Type.Integer(backoffBounds.minBackoffMs)),
          maxBackoffMs: Type.Optional(Type.Integer(backoffBounds.maxBackoffMs)),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SensorConfig = Static<typeof SensorConfigSchema>;

export const sensorDefaults = { healthIntervalS: 30, flushIntervalMs: 1000, watchdogEnabled: true, minBackoffMs: 1000, maxBackoffMs: 60_000 };
