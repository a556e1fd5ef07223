/**
 * What the name-service decoders read from a frame, in tshark's field names and text forms: DNS,
 * mDNS and LLMNR (one dissector family in tshark), NetBIOS name service and SSDP (which tshark
 * dissects as HTTP), all for the harness's `compareCapture`; and WS-Discovery, which tshark reads
 * only as heuristic XML, for `compareWsd` in names-compare.ts.
 */
import * as dns from '../../src/decoders/dns.js';
import * as nbns from '../../src/decoders/netbios-ns.js';
import * as ssdp from '../../src/decoders/ssdp.js';
import * as wsd from '../../src/decoders/ws-discovery.js';
import { APP_DNS, APP_NBNS, APP_SSDP, APP_WSD, L4_TCP, L4_UDP, type Dissection } from '../../src/dissect.js';
import type { Extractor, Fields, Frame } from './harness.js';

/** The payload of a whole UDP datagram for identification decoder `app`, or null. */
function udpPayload(frame: Frame, d: Dissection, dissected: boolean, app: number): Uint8Array | null {
  if (!dissected || d.l4 !== L4_UDP || d.app !== app) return null;
  return frame.bytes.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength);
}

/** Adds `values` under `field`; nothing when there are none (tshark prints an empty cell then). */
function put(row: Fields, field: string, values: string[]): void {
  if (values.length === 0 || (values.length === 1 && values[0] === '')) return;
  row[field] = values;
}

/** tshark writes the root name as `<Root>`. */
function dnsName(name: string): string {
  return name === '' ? '<Root>' : name;
}

/**
 * tshark 4.0 names an SRV record's owner not with `dns.resp.name` but split at its first two dots
 * into service, protocol and the rest (`_ipp`, `_tcp`, `local` — the instance label first).
 */
function srvOwner(name: string): [service: string, proto: string | undefined, rest: string | undefined] {
  const first = name.indexOf('.');
  const second = first < 0 ? -1 : name.indexOf('.', first + 1);
  if (first < 0) return [name, undefined, undefined];
  if (second < 0) return [name.slice(0, first), name.slice(first + 1), undefined];
  return [name.slice(0, first), name.slice(first + 1, second), name.slice(second + 1)];
}

export function dnsExtractor(): Extractor {
  return {
    fields: ['dns.qry.name', 'dns.resp.name', 'dns.srv.service', 'dns.srv.proto', 'dns.srv.name', 'dns.a', 'dns.aaaa', 'dns.ptr.domain_name', 'dns.cname', 'dns.srv.target', 'dns.srv.port', 'dns.txt'],
    frame(frame, d, dissected): Fields | null {
      const payload = udpPayload(frame, d, dissected, APP_DNS);
      const message = payload && dns.decode(payload, 0);
      if (message === null) return null;
      const records = [...message.answers, ...message.authorities, ...message.additionals];
      const data = records.map((r) => r.data);
      const row: Fields = {};
      put(row, 'dns.qry.name', message.questions.map((q) => dnsName(q.name)));
      const srv = records.filter((r) => r.type === dns.DNS_TYPE_SRV && r.name !== '').map((r) => srvOwner(r.name));
      put(row, 'dns.resp.name', records.filter((r) => r.type !== dns.DNS_TYPE_SRV || r.name === '').map((r) => dnsName(r.name)));
      put(row, 'dns.srv.service', srv.map(([service]) => service));
      put(row, 'dns.srv.proto', srv.flatMap(([, proto]) => (proto === undefined ? [] : [proto])));
      put(row, 'dns.srv.name', srv.flatMap(([, , rest]) => (rest === undefined ? [] : [rest])));
      put(row, 'dns.a', data.flatMap((x) => (x?.kind === 'a' ? [x.address] : [])));
      put(row, 'dns.aaaa', data.flatMap((x) => (x?.kind === 'aaaa' ? [x.address] : [])));
      put(row, 'dns.ptr.domain_name', data.flatMap((x) => (x?.kind === 'ptr' ? [dnsName(x.target)] : [])));
      put(row, 'dns.cname', data.flatMap((x) => (x?.kind === 'cname' ? [dnsName(x.target)] : [])));
      put(row, 'dns.srv.target', data.flatMap((x) => (x?.kind === 'srv' ? [dnsName(x.target)] : [])));
      put(row, 'dns.srv.port', data.flatMap((x) => (x?.kind === 'srv' ? [`${x.port}`] : [])));
      put(row, 'dns.txt', data.flatMap((x) => (x?.kind === 'txt' ? x.strings : [])));
      return row;
    },
  };
}

/** Wireshark's text for a NetBIOS name: printable ASCII kept, other octets as `<xx>`, trailing spaces gone. */
function netbiosText(name: string): string {
  return Array.from(name, (c) => {
    const code = c.charCodeAt(0);
    return code >= 0x20 && code <= 0x7e ? c : `<${code.toString(16).padStart(2, '0')}>`;
  }).join('');
}

/** Meanings Wireshark appends to the names of NB records, for the suffixes seen in the shared captures. */
const SUFFIX_MEANINGS = new Map<number, string>([
  [0x00, 'Workstation/Redirector'],
  [0x03, 'Messenger service/Main name'],
  [0x1b, 'Domain Master Browser'],
  [0x1c, 'Domain Controllers'],
  [0x1d, 'Local Master Browser'],
  [0x1e, 'Browser Election Service'],
  [0x20, 'Server service'],
]);

function netbiosName(n: nbns.NetbiosName): string {
  const scope = n.scope === '' ? '' : `.${n.scope}`;
  return `${netbiosText(n.name)}<${n.suffix.toString(16).padStart(2, '0')}>${scope}`;
}

export function nbnsExtractor(): Extractor {
  return {
    fields: ['nbns.name', 'nbns.addr', 'nbns.netbios_name', 'nbns.unit_id'],
    frame(frame, d, dissected): Fields | null {
      const payload = udpPayload(frame, d, dissected, APP_NBNS);
      const message = payload && nbns.decode(payload, 0);
      if (message === null) return null;
      const records = [...message.answers, ...message.authorities, ...message.additionals];
      const row: Fields = {};
      // Wireshark names a question plainly and an NB record with the suffix's meaning after it.
      const recordName = (r: nbns.NbnsResourceRecord): string =>
        r.type === nbns.NBNS_TYPE_NB ? `${netbiosName(r.name)} (${SUFFIX_MEANINGS.get(r.name.suffix) ?? 'Unknown'})` : netbiosName(r.name);
      put(row, 'nbns.name', [...message.questions.map((q) => netbiosName(q.name)), ...records.map(recordName)]);
      put(row, 'nbns.addr', records.flatMap((r) => r.addresses.map((a) => a.address)));
      put(row, 'nbns.netbios_name', records.flatMap((r) => r.nodeNames.map((n) => netbiosText(n.name))));
      put(row, 'nbns.unit_id', records.flatMap((r) => (r.unitId === null ? [] : [r.unitId])));
      return row;
    },
  };
}

function decodeSsdp(frame: Frame, d: Dissection, dissected: boolean): ssdp.Ssdp | null {
  const payload = udpPayload(frame, d, dissected, APP_SSDP);
  return payload && ssdp.decode(payload, 0);
}

/**
 * Where tshark 4.0 puts the header lines of each kind of SSDP message: a NOTIFY's unknown headers
 * as `http.unknown_header`, and every header line of an M-SEARCH or a response as
 * `http.request.line` or `http.response.line` — whole lines, CR LF written out (`USN: uuid:…\r\n`).
 */
const HEADER_LINES: Readonly<Record<ssdp.SsdpKind, string>> = {
  notify: 'http.unknown_header',
  search: 'http.request.line',
  response: 'http.response.line',
};
const DISCOVERY_HEADERS = ['USN', 'NT', 'NTS', 'ST'] as const;
const HEADER_LINE = /^([^:]+):[ \t]*(.*?)[ \t]*(?:\\r\\n)?$/;

/** USN, NT, NTS and ST lines of tshark's header lines as `NAME: value`, sorted (the record keeps no order). */
function discoveryHeaderLines(lines: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const line of lines) {
    const match = HEADER_LINE.exec(line);
    const name = match?.[1]?.toUpperCase() ?? '';
    if (match && (DISCOVERY_HEADERS as readonly string[]).includes(name)) kept.add(`${name}: ${match[2]}`);
  }
  return [...kept].sort();
}

/**
 * SSDP: the start line, the headers tshark's HTTP dissector names (SERVER, USER-AGENT, LOCATION),
 * and USN, NT, NTS and ST, which it shows only among whole header lines (see HEADER_LINES).
 */
export function ssdpExtractor(): Extractor {
  const lineFields = new Set(Object.values(HEADER_LINES));
  return {
    fields: ['http.request.method', 'http.response.code', 'http.server', 'http.user_agent', 'http.location', ...lineFields],
    normalise: (field, values) => (lineFields.has(field) ? discoveryHeaderLines(values) : [...values]),
    frame(frame, d, dissected): Fields | null {
      const message = decodeSsdp(frame, d, dissected);
      if (message === null) return null;
      const row: Fields = {};
      if (message.kind !== 'response') put(row, 'http.request.method', [message.kind === 'notify' ? 'NOTIFY' : 'M-SEARCH']);
      if (message.statusCode !== null) put(row, 'http.response.code', [`${message.statusCode}`]);
      if (message.server !== null) put(row, 'http.server', [message.server]);
      if (message.userAgent !== null) put(row, 'http.user_agent', [message.userAgent]);
      if (message.location !== null) put(row, 'http.location', [message.location]);
      const discovery: [string, string | null][] = [
        ['USN', message.usn],
        ['NT', message.nt],
        ['NTS', message.nts],
        ['ST', message.st],
      ];
      put(row, HEADER_LINES[message.kind], discovery.flatMap(([name, value]) => (value === null ? [] : [`${name}: ${value}`])).sort());
      return row;
    },
  };
}

/**
 * DNS, NetBIOS and SSDP in one pass. HTTP over TCP carries the same `http.*` fields but is the HTTP
 * decoder's to read, so TCP frames are left out.
 */
export function namesExtractor(): Extractor {
  const parts = [dnsExtractor(), nbnsExtractor(), ssdpExtractor()];
  const owner = new Map(parts.flatMap((p) => p.fields.map((f) => [f, p] as const)));
  return {
    fields: parts.flatMap((p) => p.fields),
    skip: (_frame, d) => (d.l4 === L4_TCP ? 'TCP (HTTP is not a name service)' : null),
    normalise: (field, values) => owner.get(field)?.normalise?.(field, values) ?? [...values],
    frame(frame, d, dissected): Fields | null {
      return Object.assign({}, ...parts.map((p) => p.frame(frame, d, dissected) ?? {})) as Fields;
    },
  };
}

/** The WS-Discovery elements compared, as `xml.cdata:<local name>` pseudo-fields (see names-compare.ts). */
export const WSD_FIELDS = ['xml.cdata:Action', 'xml.cdata:MessageID', 'xml.cdata:Address', 'xml.cdata:Types', 'xml.cdata:Scopes', 'xml.cdata:XAddrs', 'xml.cdata:MetadataVersion'] as const;

/**
 * WS-Discovery against tshark's XML dissector (heuristic `xml_udp`): the text of each element the
 * decoder keeps, list values split on white space. Its fields are not tshark fields: compare it with
 * `compareWsd` (names-compare.ts), which reads them from tshark's dissection tree.
 */
export function wsdExtractor(): Extractor {
  return {
    fields: WSD_FIELDS,
    normalise(field, values) {
      const list = field.endsWith(':Types') || field.endsWith(':Scopes') || field.endsWith(':XAddrs');
      return values.flatMap((v) => (list ? v.split(/\s+/).filter((t) => t !== '') : [v.trim()]));
    },
    frame(frame, d, dissected): Fields | null {
      const payload = udpPayload(frame, d, dissected, APP_WSD);
      const message = payload && wsd.decode(payload, 0);
      if (message === null) return null;
      const row: Fields = {};
      if (message.actionUri !== null) put(row, 'xml.cdata:Action', [message.actionUri]);
      if (message.messageId !== null) put(row, 'xml.cdata:MessageID', [message.messageId]);
      if (message.address !== null) put(row, 'xml.cdata:Address', [message.address]);
      put(row, 'xml.cdata:Types', message.types.map((t) => t.qname));
      put(row, 'xml.cdata:Scopes', message.scopes);
      put(row, 'xml.cdata:XAddrs', message.xaddrs);
      if (message.metadataVersion !== null) put(row, 'xml.cdata:MetadataVersion', [`${message.metadataVersion}`]);
      return row;
    },
  };
}
