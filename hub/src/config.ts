/** The hub's options, their defaults and where things live in its data directory. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AlertDeliveryOptions } from './alerts/options.js';
import type { AnalysisOptions } from './analysis/analysis.js';
import type { SegmentDefinition } from './risk/segments.js';

export type { SegmentDefinition };

export type { AlertDeliveryOptions, SyslogDestination, WebhookDestination } from './alerts/options.js';

/**
 * The MQTT broker sensors connect to. `embedded` runs aedes inside the hub. `mosquitto` has the hub
 * write a Mosquitto 2.0 configuration into `configDir` (default `<dataDir>/mosquitto`), run
 * Mosquitto as its child and admit and revoke sensors on it (broker/mosquitto.ts).
 */
export type BrokerChoice =
  | { kind: 'embedded' }
  | {
      kind: 'mosquitto';
      configDir?: string;
      /** Default /usr/sbin/mosquitto. */
      binary?: string;
      /** The account Mosquitto switches to when the hub runs as root; default `mosquitto`. */
      user?: string;
      /** Other instances of this hub that may join the broker (`--broker join --instance NAME`). */
      instances?: string[];
    }
  | {
      /**
       * Join the Mosquitto another instance of this hub runs (same CA and store): no broker of its
       * own; its ingest takes a share of the sensors' reports through shared subscriptions.
       */
      kind: 'join';
      /** `mqtts://host:port` of that broker. */
      url: string;
    };

export const BROKER_KINDS = ['embedded', 'mosquitto', 'join'] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];

/**
 * Where the hub keeps its state: LevelDB in its data directory (one hub process), or a PostgreSQL
 * database several hub instances share (`postgres://user@host:5432/wardsight`; the password from
 * the URL or PGPASSWORD).
 */
export type StoreChoice = { kind: 'level' } | { kind: 'postgres'; url: string };

export interface HubOptions {
  dataDir: string;
  /** Address both listeners bind to. */
  host: string;
  /** MQTT over TLS, whichever broker listens; 0 picks a free port (tests). */
  mqttPort: number;
  /** HTTPS API and dashboard; 0 picks a free port (tests). */
  apiPort: number;
  /** Extra names and addresses for the hub's certificate, beyond localhost and this host's name. */
  publicNames: string[];
  broker: BrokerChoice;
  /** Where alerts go (syslog over TLS to a SIEM, webhooks); none by default. */
  alerts: AlertDeliveryOptions;
  /** Learning window and detector settings of the behaviour analysis (analysis/analysis.ts defaults). */
  analysis: Partial<AnalysisOptions>;
  /** Named network segments (CIDR blocks) for exposure; addresses outside them group by /24. */
  segments: SegmentDefinition[];
  store: StoreChoice;
  /**
   * This instance's name where several hub instances share a broker and a store (its ingest
   * identity is `hub-<instance>`); none for a hub that runs alone.
   */
  instance?: string;
}

/** Where Wardsight keeps its state unless told otherwise: `$WARDSIGHT_HOME`, else `~/.local/share/wardsight`. */
export function wardsightHome(): string {
  return resolve(process.env.WARDSIGHT_HOME ?? join(homedir(), '.local', 'share', 'wardsight'));
}

export function hubDefaults(): HubOptions {
  return { dataDir: join(wardsightHome(), 'hub'), host: '0.0.0.0', mqttPort: 8883, apiPort: 8443, publicNames: [], broker: { kind: 'embedded' }, alerts: { syslog: [], webhooks: [] }, analysis: {}, segments: [], store: { kind: 'level' } };
}

export function hubPaths(dataDir: string) {
  return {
    /** Written on every start: where this hub listens, for the command line. */
    endpoint: join(dataDir, 'hub.json'),
    /** The first-run admin credential, mode 0600. */
    adminCredential: join(dataDir, 'admin-credential.json'),
    store: join(dataDir, 'store'),
    /** The Mosquitto broker's directory unless told otherwise. */
    mosquitto: join(dataDir, 'mosquitto'),
  };
}

/**
 * How this machine reaches a listener bound to `host`. An address rather than `localhost`: with
 * AI_ADDRCONFIG a host whose only IPv4 address is loopback may fail to resolve `localhost` at all.
 */
export function localAddress(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export interface HubEndpoint {
  apiUrl: string;
  mqttUrl: string;
  caFile: string;
  pid: number;
  startedAt: string;
}
