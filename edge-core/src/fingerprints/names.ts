/**
 * What devices announce about themselves on the local link and what they look up: multicast DNS
 * and DNS-SD (their services, instance names, host names and TXT keys such as the model), the
 * names they resolve through DNS, NetBIOS name registrations, SSDP announcements, WS-Discovery
 * hellos (IEEE 11073 SDC devices among them) and the host names in their syslog messages.
 */
import { decode as decodeDns, type DnsResourceRecord } from '../decoders/dns.js';
import { decode as decodeNbns } from '../decoders/netbios-ns.js';
import { decode as decodeSsdp } from '../decoders/ssdp.js';
import { decode as decodeSyslog } from '../decoders/syslog.js';
import { decode as decodeWsd } from '../decoders/ws-discovery.js';
import type { AppHandler, SenderFacts } from './app-facts.js';

/** Names a device gives itself or its services: what it says, though a name can be anything. */
const NAME = 0.8;
/** Traits of the software that sent the message (announced types, servers, user agents). */
const TRAIT = 0.9;
/** A name the device looked up: says what it talks to, not what it is. */
const LOOKUP = 0.7;

const DNS_PORT = 53;
const MDNS_PORT = 5353;
// RFC 1002 §4.2: name registration, refresh (8; 9 in some implementations) and multi-homed registration (15).
const NBNS_REGISTRATIONS = new Set([5, 8, 9, 15]);
// NetBIOS suffixes of a machine's own name: workstation (0x00) and file server (0x20).
const NBNS_MACHINE_SUFFIXES = new Set([0x00, 0x20]);

const endOf = (d: { payloadOffset: number; payloadLength: number }): number => d.payloadOffset + d.payloadLength;

/** `Instance._svc._tcp.local` → instance and `_svc._tcp`; null for names that are not service instances. */
function serviceInstance(name: string): { instance: string; service: string } | null {
  const match = /^(.+?)\.(_[^.]+\._(?:tcp|udp))\.[^.]+\.?$/i.exec(name);
  return match?.[1] !== undefined && match[2] !== undefined ? { instance: match[1], service: match[2] } : null;
}

/** A name under a reverse-mapping zone (RFC 1035 §3.5, RFC 3596 §2.5): an address, not a host name. */
function isReverse(name: string): boolean {
  return /\.(in-addr|ip6)\.arpa\.?$/i.test(name);
}

/** One multicast DNS record the sender answers with: its own services, names and TXT keys (RFC 6763). */
function reportMdnsRecord(r: DnsResourceRecord, facts: SenderFacts): void {
  const data = r.data;
  if (data === null) return;
  switch (data.kind) {
    case 'ptr': {
      const own = serviceInstance(data.target);
      if (own === null) return;
      facts.found('mdns.service', own.service, 'mdns.service', `PTR ${r.name} → ${data.target}`, TRAIT);
      facts.found('mdns.instance', own.instance, 'mdns.instance', `PTR ${r.name} → ${data.target}`, NAME);
      return;
    }
    case 'srv':
      facts.found('mdns.hostname', data.target, 'mdns.hostname', `SRV ${r.name} → ${data.target}:${data.port}`, NAME);
      return;
    case 'txt':
      // RFC 6763 §6.4: keys are case-insensitive; the key stays as sent in the signal name.
      for (const a of data.attributes) {
        if (a.value === null || a.value === '' || !/^[A-Za-z0-9_.-]{1,55}$/.test(a.key)) continue;
        facts.found('mdns.txt', a.value, `mdns.txt.${a.key}`, `TXT ${r.name} ${a.key}=${a.value}`, TRAIT);
      }
      return;
    case 'a':
    case 'aaaa':
      if (!isReverse(r.name)) facts.found('mdns.hostname', r.name, 'mdns.hostname', `${data.kind.toUpperCase()} ${r.name} ${data.address}`, NAME);
      return;
    default:
  }
}

export const dnsHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeDns(buf, d.payloadOffset, endOf(d));
  if (m === null) return;
  if (!m.isResponse) {
    // A query to a resolver: a name this device resolves (what it talks to, e.g. its maker's cloud).
    if (d.dstPort !== DNS_PORT) return;
    for (const q of m.questions) if (!isReverse(q.name)) facts.found('dns.query', q.name, 'dns.query', `query ${q.name} type ${q.type}`, LOOKUP);
    return;
  }
  // Only multicast DNS answers are the sender's own records; a unicast answer is a resolver's.
  if (d.srcPort !== MDNS_PORT) return;
  for (const r of m.answers) reportMdnsRecord(r, facts);
  for (const r of m.additionals) reportMdnsRecord(r, facts);
};

export const nbnsHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeNbns(buf, d.payloadOffset, endOf(d));
  if (m === null) return;
  if (!m.isResponse && NBNS_REGISTRATIONS.has(m.opcode)) {
    // A registration carries the registered name as its question and again as an additional record.
    for (const q of m.questions) {
      if (NBNS_MACHINE_SUFFIXES.has(q.name.suffix)) facts.found('netbios.name', q.name.name, 'netbios.name', `registration ${q.name.name}<${q.name.suffix.toString(16).padStart(2, '0')}>`, NAME);
    }
    return;
  }
  if (!m.isResponse) return;
  // A node status answer lists the names the answering machine holds (RFC 1002 §4.2.18).
  for (const r of m.answers) {
    for (const n of r.nodeNames) {
      if (!n.group && NBNS_MACHINE_SUFFIXES.has(n.suffix)) facts.found('netbios.name', n.name, 'netbios.name', `node status ${n.name}<${n.suffix.toString(16).padStart(2, '0')}>`, NAME);
    }
  }
};

export const ssdpHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeSsdp(buf, d.payloadOffset, endOf(d));
  if (m === null) return;
  if (m.kind === 'search') {
    // A control point searching: its USER-AGENT names its OS and UPnP stack (UDA 2.0 §1.3.2).
    if (m.userAgent) facts.found('http.userAgent', m.userAgent, 'http.userAgent', `M-SEARCH USER-AGENT ${m.userAgent}`, TRAIT);
    return;
  }
  const said = `${m.kind === 'notify' ? 'NOTIFY' : 'search response'}`;
  if (m.server) facts.found('ssdp.server', m.server, 'ssdp.server', `${said} SERVER ${m.server}`, TRAIT);
  if (m.location) facts.found('ssdp.location', m.location, 'ssdp.location', `${said} LOCATION ${m.location}`, TRAIT);
  if (m.usn) facts.found('ssdp.usn', m.usn, 'ssdp.usn', `${said} USN ${m.usn}`, TRAIT);
  const type = m.kind === 'notify' ? m.nt : m.st;
  if (type) facts.found('ssdp.nt', type, 'ssdp.nt', `${said} ${m.kind === 'notify' ? 'NT' : 'ST'} ${type}`, TRAIT);
};

export const wsdHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeWsd(buf, d.payloadOffset, endOf(d));
  // Probe and Resolve ask about others; the rest describe the sender's own endpoint.
  if (m === null || m.action === 'Probe' || m.action === 'Resolve') return;
  const said = `${m.action} ${m.address ?? ''}`.trim();
  for (const t of m.types) {
    const type = t.namespace === null ? t.qname : `{${t.namespace}}${t.local}`;
    facts.found('wsd.types', type, 'wsd.types', `${said} type ${t.qname}`, TRAIT);
  }
  for (const scope of m.scopes) facts.found('wsd.scopes', scope, 'wsd.scopes', `${said} scope ${scope}`, TRAIT);
  for (const xaddr of m.xaddrs) facts.found('wsd.xaddrs', xaddr, 'wsd.xaddrs', `${said} XAddr ${xaddr}`, TRAIT);
};

export const syslogHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeSyslog(buf, d.payloadOffset, endOf(d));
  if (m === null) return;
  const said = `syslog ${m.format} <${m.priority}> ${m.hostname ?? '-'} ${m.appName ?? '-'}`;
  if (m.hostname) facts.found('syslog.hostname', m.hostname, 'syslog.hostname', said, NAME);
  if (m.appName) facts.found('syslog.appName', m.appName, 'syslog.appName', said, TRAIT);
};
