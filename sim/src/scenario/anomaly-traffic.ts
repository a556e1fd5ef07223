/**
 * The frames of each injected anomaly, on top of the device's normal traffic: a connection to the
 * internet, a port it starts serving, a protocol its model never spoke, an hour's volume many times
 * its usual, HL7 or DICOM to a peer it never used, a scan. Arrivals on an unexpected floor and new
 * devices are stays of their own (see plan.ts) and have no frames here.
 */
import { latin1 } from '../packets/bytes.js';
import { DICOM_PORT } from '../packets/dicom-ul.js';
import { HL7_MLLP_PORT } from '../packets/hl7.js';
import type { TcpMessage } from '../packets/tcp-connection.js';
import { tlsSessionMessages } from '../traffic/tls-session.js';
import { noise } from './addresses.js';
import { ANOMALY_DEFAULTS, type PlannedAnomaly } from './anomaly-plan.js';
import type { Activity, DayContext } from './day-context.js';
import { dicomBurst } from './dicom-burst.js';
import type { ScenarioDevice } from './fleet.js';
import { eventLogReport, vitalsReport } from './hl7-reports.js';
import { SERVERS, internetHost } from './site.js';
import { smbReads, smbWrites } from './smb2-message.js';
import type { LocalHost, RemoteHost } from './wire.js';

/** The first and last frame of an anomaly's own traffic. */
export interface AnomalyFrames {
  first: number;
  last: number;
}

export type HostAt = (device: ScenarioDevice, at: number) => LocalHost;

/** Ethernet, IPv4 and TCP headers on each full segment of a bulk transfer (14 + 20 + 20 over 1460). */
const BULK_OVERHEAD = 1 + 54 / 1460;
/** A probe every 150–350 ms: 150 of them take under a minute. */
const PROBE_GAP_MICROS = { min: 150_000, max: 350_000 } as const;

const text = (from: TcpMessage['from'], s: string): TcpMessage => ({ from, payload: latin1(s) });

/** RFC 854 / RFC 1091: option negotiation, then a login prompt the device answers with default credentials. */
function telnetLogin(server: string): TcpMessage[] {
  return [
    { from: 'server', payload: Uint8Array.of(0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03) }, // DO TTYPE, WILL ECHO, WILL SGA
    { from: 'client', payload: Uint8Array.of(0xff, 0xfb, 0x18, 0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03) }, // WILL TTYPE, DO ECHO, DO SGA
    text('server', `\r\n${server} login: `),
    text('client', 'root\r\n'),
    text('server', 'Password: '),
    text('client', 'admin\r\n'),
    text('server', '\r\nLogin incorrect\r\n'),
  ];
}

/** RFC 959 §5.4: greeting, USER / PASS, SYST and QUIT with their replies. */
function ftpSession(server: string): TcpMessage[] {
  return [
    text('server', `220 ${server} Microsoft FTP Service\r\n`),
    text('client', 'USER anonymous\r\n'),
    text('server', '331 Anonymous access allowed, send identity (e-mail name) as password.\r\n'),
    text('client', 'PASS guest@\r\n'),
    text('server', '230 User logged in.\r\n'),
    text('client', 'SYST\r\n'),
    text('server', '215 Windows_NT\r\n'),
    text('client', 'QUIT\r\n'),
    text('server', '221 Goodbye.\r\n'),
  ];
}

function run(ctx: DayContext, anomaly: PlannedAnomaly, hostAt: HostAt): AnomalyFrames {
  const { device, at } = anomaly;
  const host = hostAt(device, at);
  const { wire, random } = ctx;
  const tcp = (server: Parameters<typeof wire.tcp>[2], port: number, messages: readonly TcpMessage[]): AnomalyFrames => ({ first: at, last: wire.tcp(at, host, server, port, messages).last });
  const sender = { application: device.model.hl7Application ?? 'DEVICE', bed: device.hostname.toUpperCase(), floor: host.floor };
  switch (anomaly.kind) {
    case 'new-external-destination': {
      const phone = device.model.kind === 'phone';
      const serverName = phone ? 'cfg.voip-provisioning.example.com' : 'sync.filedrop.example.net';
      const tls = tlsSessionMessages({ serverName, version: phone ? '1.2' : '1.3', requestSizes: [random.int(800, 1500), random.int(800, 1500)] }, random);
      return tcp(internetHost(anomaly.peer ?? '203.0.113.1'), anomaly.port ?? 443, tls);
    }
    case 'new-listening-port': {
      if (!anomaly.peerDevice) throw new RangeError('a new listening port needs a client');
      const client = hostAt(anomaly.peerDevice, at);
      const messages =
        anomaly.port === 445
          ? smbReads({ sessionId: BigInt(random.uint32()), treeId: 1, fileId: random.bytes(16) }, [8192, 8192], (n) => noise(random, n))
          : tlsSessionMessages({ serverName: `${device.hostname}.stmary.local`, version: '1.3', requestSizes: [random.int(400, 900)] }, random);
      const result = wire.tcp(at, client, host, anomaly.port ?? 445, messages);
      return { first: result.synAck, last: result.last };
    }
    case 'new-protocol-for-model':
      return anomaly.port === 23 ? tcp(SERVERS.hl7, 23, telnetLogin(SERVERS.hl7.hostname)) : tcp(SERVERS.files, 21, ftpSession(SERVERS.files.hostname));
    case 'volume-outside-baseline': {
      const payload = Math.round(((ANOMALY_DEFAULTS.volumeFactor - 1) * ctx.learnedHourlyBytes(device.mac)) / BULK_OVERHEAD);
      if (anomaly.port === HL7_MLLP_PORT) return tcp(SERVERS.hl7, HL7_MLLP_PORT, eventLogReport(sender, 'HL7ENGINE', random, at, payload));
      return tcp(SERVERS.files, 445, smbWrites({ sessionId: BigInt(random.uint32()), treeId: 5, fileId: random.bytes(16) }, noise(random, payload)));
    }
    case 'clinical-protocol-unknown-peer': {
      if (anomaly.port === HL7_MLLP_PORT) return tcp(SERVERS.lis, HL7_MLLP_PORT, vitalsReport(sender, 'LIS', random, at));
      const identity = device.model.dicom;
      if (!identity) throw new RangeError(`${device.hostname} has no DICOM identity`);
      const series = { identity, callingAe: device.hostname.toUpperCase().replace(/-/g, '_'), calledAe: 'PACS_RESEARCH', modelName: device.model.model, softwareVersion: device.model.softwareVersion };
      return tcp(SERVERS.researchPacs, DICOM_PORT, dicomBurst(series, random, identity.imagesPerBurst, identity.imageBytes));
    }
    case 'scanning':
      return scan(ctx, anomaly, host);
    case 'unexpected-floor':
    case 'new-device-clinical-segment':
      throw new RangeError(`${anomaly.kind} is a stay, not an exchange`);
  }
}

/** SYNs to the planned targets, a few a second: many ports of one server, or one port of many addresses. */
function scan(ctx: DayContext, anomaly: PlannedAnomaly, host: LocalHost): AnomalyFrames {
  const { wire, random } = ctx;
  const servers: readonly RemoteHost[] = Object.values(SERVERS);
  let ts = anomaly.at;
  let last = ts;
  for (const { ip, port } of anomaly.probes ?? []) {
    // Only hosts that exist answer; for an address nobody has, the router's ARP goes unanswered off the floor.
    const server = servers.find((s) => s.ip === ip);
    last = Math.max(last, wire.probe(ts, host, server ?? { ip, ttl: 64, tcpWindow: 64240, hops: 1 }, port, server !== undefined));
    ts += random.int(PROBE_GAP_MICROS.min, PROBE_GAP_MICROS.max);
  }
  return { first: anomaly.at, last };
}

/** The anomaly as an activity; `done` learns when its frames were seen. */
export function anomalyActivity(anomaly: PlannedAnomaly, hostAt: HostAt, done: (frames: AnomalyFrames) => void): Activity {
  return { at: anomaly.at, run: (ctx) => done(run(ctx, anomaly, hostAt)) };
}
