/** `wardsight hub`: the central hub with its broker (embedded, or a Mosquitto it runs) and store. */
import type { Command } from 'commander';
import { isIPv4 } from 'node:net';
import { BROKER_KINDS, hubDefaults, hubPaths, type AlertDeliveryOptions, type BrokerChoice, type BrokerKind, type SegmentDefinition, type StoreChoice } from '@wardsight/hub/config';
import { createLogger } from './log.js';
import { untilSignal } from './signals.js';
import { durationOption } from './durations.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`not a port number: ${value}`);
  return n;
};
const brokerKind = (value: string): BrokerKind => {
  if (!(BROKER_KINDS as readonly string[]).includes(value)) throw new Error(`not a broker kind: ${value} (use ${BROKER_KINDS.join(' or ')})`);
  return value as BrokerKind;
};
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--instance b2`: a name fit for a certificate's common name. */
function instanceName(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(value)) throw new Error(`--instance takes 1 to 31 lower-case letters, digits and hyphens, not ${JSON.stringify(value)}`);
  return value;
}

/** `--store postgres://…`: a PostgreSQL URL, checked for its form here (the hub says whether it connects). */
function storeOption(value: string): StoreChoice {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--store takes a PostgreSQL URL such as postgres://wardsight@db.hospital.example:5432/wardsight, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`--store takes a postgres:// URL; ${url.protocol} is not one`);
  if (url.pathname.length <= 1) throw new Error('--store: name the database in the URL (postgres://user@host:5432/DATABASE)');
  return { kind: 'postgres', url: value };
}

/** `--segment workstations=10.30.0.0/16,10.31.0.0/16`: a name and IPv4 CIDR blocks. */
function segmentOption(value: string, previous: SegmentDefinition[]): SegmentDefinition[] {
  const match = /^([\w.-]{1,64})=(.+)$/.exec(value.trim());
  const blocks = match?.[2]?.split(',').map((b) => b.trim()) ?? [];
  const valid = (block: string) => {
    const [address, bits] = block.split('/');
    return address !== undefined && isIPv4(address) && bits !== undefined && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
  };
  if (!match?.[1] || blocks.length === 0 || !blocks.every(valid)) throw new Error(`--segment takes NAME=CIDR[,CIDR…] such as workstations=10.30.0.0/16, not ${JSON.stringify(value)}`);
  if (previous.some((s) => s.name === match[1])) throw new Error(`--segment ${match[1]} is given twice; list its blocks once, separated by commas`);
  return [...previous, { name: match[1], blocks }];
}

interface HubCommandOptions {
  dataDir: string;
  host: string;
  mqttPort: number;
  apiPort: number;
  publicName: string[];
  broker: BrokerKind;
  mosquittoDir?: string;
  mosquittoBinary?: string;
  syslog: string[];
  syslogCa?: string;
  syslogName?: string;
  webhook: string[];
  webhookSecretFile?: string;
  webhookCa?: string;
  learningWindow?: number;
  nonClinical: string[];
  segment: SegmentDefinition[];
  store?: StoreChoice;
  mqttUrl?: string;
  joinInstance: string[];
  instance?: string;
}

/** `12h`, `7d`, `2w` as milliseconds. */
const window = durationOption('--learning-window', ['h', 'd', 'w']);

/** The alert destinations of the flags; the CA, name and secret flags apply to each destination of their kind. */
function alertDestinations(opts: HubCommandOptions): AlertDeliveryOptions {
  return {
    syslog: opts.syslog.map((url) => ({ url, ...(opts.syslogCa ? { caFile: opts.syslogCa } : {}), ...(opts.syslogName ? { serverName: opts.syslogName } : {}) })),
    webhooks: opts.webhook.map((url) => ({ url, ...(opts.webhookCa ? { caFile: opts.webhookCa } : {}), ...(opts.webhookSecretFile ? { secretFile: opts.webhookSecretFile } : {}) })),
  };
}

function brokerChoice(opts: HubCommandOptions): BrokerChoice {
  if (opts.broker === 'embedded') return { kind: 'embedded' };
  if (opts.broker === 'join') {
    if (!opts.mqttUrl) throw new Error('--broker join needs --mqtt-url, the mqtts://host:port of the Mosquitto another instance of this hub runs');
    if (!opts.instance) throw new Error('--broker join needs --instance NAME: each instance sharing a broker has a name of its own');
    return { kind: 'join', url: opts.mqttUrl };
  }
  return { kind: 'mosquitto', configDir: opts.mosquittoDir ?? hubPaths(opts.dataDir).mosquitto, ...(opts.mosquittoBinary ? { binary: opts.mosquittoBinary } : {}), instances: opts.joinInstance };
}

export function registerHub(program: Command): void {
  const d = hubDefaults();
  program
    .command('hub')
    .description('Run the hub: MQTT broker over TLS, ingest, inventory store and the HTTPS API')
    .option('--data-dir <dir>', 'where the hub keeps its store, CA and credential', d.dataDir)
    .option('--host <address>', 'address to listen on', d.host)
    .option('--mqtt-port <port>', 'MQTT over TLS port', port, d.mqttPort)
    .option('--api-port <port>', 'HTTPS API and dashboard port', port, d.apiPort)
    .option('--public-name <name>', 'extra DNS name or IP for the hub certificate (repeatable)', collect, [] as string[])
    .option('--broker <kind>', `the MQTT broker sensors connect to: ${BROKER_KINDS.join(', ')} (embedded: in the hub; mosquitto: Mosquitto 2.0, run by the hub; join: the Mosquitto another instance of this hub runs, with --mqtt-url and --instance)`, brokerKind, d.broker.kind)
    .option('--mqtt-url <url>', 'with --broker join: mqtts://host:port of the broker to join')
    .option('--join-instance <name>', 'with --broker mosquitto: another instance of this hub that may join the broker (repeatable)', (v: string, p: string[]) => [...p, instanceName(v)], [] as string[])
    .option('--instance <name>', 'this instance\'s name where several hub instances share a broker and a store (its ingest certificate is CN=hub-<name>)', instanceName)
    .option('--mosquitto-dir <dir>', 'with --broker mosquitto: its configuration, certificates, sessions and log (default <data-dir>/mosquitto)')
    .option('--mosquitto-binary <path>', 'with --broker mosquitto: the Mosquitto program (default /usr/sbin/mosquitto)')
    .option('--syslog <url>', 'send alerts to a SIEM as CEF over syslog with TLS: tls://host:port (repeatable)', collect, [] as string[])
    .option('--syslog-ca <file>', "CA certificate(s) the syslog receiver's certificate must chain to (default: the system CAs)")
    .option('--syslog-name <name>', "name the syslog receiver's certificate must carry (default: the host in --syslog)")
    .option('--webhook <url>', 'POST every alert event as JSON to this https:// URL (repeatable)', collect, [] as string[])
    .option('--webhook-secret-file <file>', 'file holding a shared secret that signs each webhook body (X-Wardsight-Signature)')
    .option('--webhook-ca <file>', "CA certificate(s) the webhook receiver's certificate must chain to (default: the system CAs)")
    .option('--learning-window <duration>', 'how long each device\'s behaviour is learnt before departures from it are raised: 12h, 7d, 2w (default 7d)', window)
    .option('--non-clinical <sensor>', 'a sensor on a non-clinical segment, where a new device is not raised (repeatable)', collect, [] as string[])
    .option('--store <url>', 'keep the hub\'s state in PostgreSQL, shared by several hub instances: postgres://user@host:5432/db (password from the URL or PGPASSWORD); default LevelDB in --data-dir', storeOption)
    .option('--segment <name=cidr,…>', 'a named network segment for exposure, e.g. workstations=10.30.0.0/16,10.31.0.0/16 (repeatable); other addresses group by /24', segmentOption, [] as SegmentDefinition[])
    .action(async (opts: HubCommandOptions) => {
      const { startHub } = await import('@wardsight/hub');
      const log = createLogger();
      const broker = brokerChoice(opts);
      const hub = await startHub({ dataDir: opts.dataDir, host: opts.host, mqttPort: opts.mqttPort, apiPort: opts.apiPort, publicNames: opts.publicName, broker, alerts: alertDestinations(opts), analysis: { ...(opts.learningWindow ? { learningWindowMs: opts.learningWindow } : {}), nonClinicalSensors: opts.nonClinical }, segments: opts.segment, store: opts.store ?? { kind: 'level' }, ...(opts.instance ? { instance: opts.instance } : {}) }, log);
      const brokerLine = broker.kind === 'mosquitto' ? ` (Mosquitto, ${broker.configDir ?? ''})` : '';
      process.stdout.write(
        `Wardsight hub running\n  dashboard  ${hub.apiUrl}/\n  MQTT       ${hub.mqttUrl}${brokerLine}\n  credential ${hub.credentialFile}${hub.credentialCreated ? ' (new)' : ''}\n  CA         ${hub.caFile}\n`,
      );
      const alertTargets = hub.alerts.deliveries().map((d) => d.target);
      if (alertTargets.length > 0) process.stdout.write(`  alerts     ${alertTargets.join(', ')}\n`);
      await untilSignal(() => hub.close());
    });
}
