/**
 * What the discovery decoders read from a frame, in tshark's field names and text forms: LLDP and
 * CDP (link layer), SNMP, DHCPv6 and SSH identification strings, and DHCPv4 and ARP as read by the
 * older decoders. Each extractor answers only for its own protocol; `discoveryExtractor` runs all.
 */
import * as cdp from '../../src/decoders/cdp.js';
import * as dhcpv6 from '../../src/decoders/dhcpv6.js';
import * as lldp from '../../src/decoders/lldp.js';
import * as snmp from '../../src/decoders/snmp.js';
import { APP_DHCPV6, APP_SNMP, L4_ICMP, L4_ICMPV6, L4_UDP, type Dissection } from '../../src/dissect.js';
import { ARP_FIELDS, arpRow, DHCP_FIELDS, dhcpRow } from './discovery-dhcp.fields.js';
import { duidTime, put, tsharkBytes, tsharkLines, tsharkString } from './discovery-forms.js';
import { sshExtractor, sshRow } from './discovery-ssh.fields.js';
import type { Extractor, Fields, Frame } from './harness.js';

export { dhcpExtractor, arpExtractor } from './discovery-dhcp.fields.js';
export { sshExtractor } from './discovery-ssh.fields.js';

const MAC_TEXT = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IPV4_TEXT = /^\d+\.\d+\.\d+\.\d+$/;
const ETHERTYPE_MAX_LENGTH = 1500; // IEEE 802.3: a type field at most this is a length
const LINKTYPE_ETHERNET = 1; // LLDP and CDP are read from Ethernet frames only
// LLDP port ID subtypes tshark shows under other fields (lldp.port.id.mac, .ip4, .ip6).
const PORT_ID_MAC = 3;
const PORT_ID_NETWORK = 4;
const CHASSIS_ID_MAC = 4;

/** The payload of a whole UDP datagram for identification decoder `app`, or null. */
function udpPayload(frame: Frame, d: Dissection, dissected: boolean, app: number): Uint8Array | null {
  if (!dissected || d.l4 !== L4_UDP || d.app !== app) return null;
  return frame.bytes.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength);
}

export function lldpRow(frame: Frame, d: Dissection): Fields | null {
  if (frame.linkType !== LINKTYPE_ETHERNET || d.etherType !== lldp.ETHERTYPE_LLDP || d.l3Offset < 0) return null;
  const pdu = lldp.decode(frame.bytes, d.payloadOffset, d.payloadOffset + d.payloadLength);
  if (pdu === null) return null;
  const row: Fields = {};
  put(row, 'lldp.tlv.system.name', pdu.systemName === null ? [] : [tsharkString(pdu.systemName)]);
  put(row, 'lldp.tlv.system.desc', pdu.systemDescription === null ? [] : [tsharkString(pdu.systemDescription)]);
  put(row, 'lldp.chassis.id.mac', pdu.chassisIdSubtype === CHASSIS_ID_MAC && MAC_TEXT.test(pdu.chassisId) ? [pdu.chassisId] : []);
  put(row, 'lldp.port.id', pdu.portIdSubtype === PORT_ID_MAC || pdu.portIdSubtype === PORT_ID_NETWORK ? [] : [tsharkString(pdu.portId)]);
  put(row, 'lldp.port.desc', pdu.portDescription === null ? [] : [tsharkString(pdu.portDescription)]);
  put(row, 'lldp.mgn.addr.ip4', pdu.managementAddresses.filter((a) => a.family === lldp.AFN_IPV4 && IPV4_TEXT.test(a.address)).map((a) => a.address));
  return row;
}

export function cdpRow(frame: Frame, d: Dissection): Fields | null {
  if (frame.linkType !== LINKTYPE_ETHERNET || d.etherType > ETHERTYPE_MAX_LENGTH || d.l3Offset < 0) return null;
  // The 802.3 length field counts the LLC PDU; what follows it is padding.
  const pdu = cdp.decode(frame.bytes, d.payloadOffset, Math.min(d.payloadOffset + d.etherType, frame.bytes.length));
  if (pdu === null) return null;
  const row: Fields = {};
  put(row, 'cdp.deviceid', pdu.deviceId === null ? [] : [tsharkString(pdu.deviceId)]);
  put(row, 'cdp.platform', pdu.platform === null ? [] : [tsharkString(pdu.platform)]);
  put(row, 'cdp.software_version', pdu.softwareVersion === null ? [] : tsharkLines(pdu.softwareVersion));
  put(row, 'cdp.portid', pdu.portId === null ? [] : [tsharkString(pdu.portId)]);
  return row;
}

export function snmpRow(frame: Frame, d: Dissection, dissected: boolean): Fields | null {
  const payload = udpPayload(frame, d, dissected, APP_SNMP);
  const message = payload && snmp.decode(payload, 0);
  if (message === null) return null;
  const row: Fields = {};
  put(row, 'snmp.community', message.community === null ? [] : [tsharkString(message.community)]);
  put(row, 'snmp.name', message.varBinds.map((v) => v.oid));
  put(row, 'snmp.value.oid', message.varBinds.flatMap((v) => (v.type === 'oid' && typeof v.value === 'string' ? [v.value] : [])));
  const octets = message.varBinds.filter((v) => v.type === 'octets' && typeof v.value === 'string');
  put(row, 'snmp.value.octets', octets.map((v) => (v.hex ? String(v.value) : tsharkBytes(String(v.value)))));
  return row;
}

/** tshark's DUID fields, one DUID's worth. */
function duidRow(row: Fields, duid: dhcpv6.Duid): void {
  put(row, 'dhcpv6.duid.type', [`${duid.type}`]);
  put(row, 'dhcpv6.duid.bytes', [duid.hex]);
  const llt = duid.type === 1;
  if (duid.time !== null) put(row, 'dhcpv6.duidllt.time', [duidTime(duid.time)]);
  if (duid.hardwareType !== null) put(row, llt ? 'dhcpv6.duidllt.hwtype' : 'dhcpv6.duidll.hwtype', [`${duid.hardwareType}`]);
  if (duid.linkLayerAddress !== null) put(row, llt ? 'dhcpv6.duidllt.link_layer_addr' : 'dhcpv6.duidll.link_layer_addr', [duid.linkLayerAddress]);
  if (duid.enterpriseNumber !== null) put(row, 'dhcpv6.duiden.enterprise', [`${duid.enterpriseNumber}`]);
  if (duid.identifier !== null) put(row, 'dhcpv6.duiden.identifier', [duid.identifier]);
  if (duid.uuid !== null) put(row, 'dhcpv6.duiduuid.bytes', [duid.uuid]);
}

export function dhcpv6Row(frame: Frame, d: Dissection, dissected: boolean): Fields | null {
  const payload = udpPayload(frame, d, dissected, APP_DHCPV6);
  const message = payload && dhcpv6.decode(payload, 0);
  if (message === null) return null;
  const row: Fields = {};
  put(row, 'dhcpv6.msgtype', [...message.relays.map((r) => `${r.messageType}`), `${message.messageType}`]);
  put(row, 'dhcpv6.requested_option_code', (message.requestedOptions ?? []).map(String));
  put(row, 'dhcpv6.vendorclass.enterprise', message.vendorClasses.map((v) => `${v.enterpriseNumber}`));
  put(row, 'dhcpv6.vendorclass.data', message.vendorClasses.flatMap((v) => v.data.map(tsharkString)));
  // DUIDs in the order their options were sent (first of each kind).
  const seen = new Set<number>();
  for (const code of message.optionCodes) {
    const duid = code === 1 ? message.clientId : code === 2 ? message.serverId : null;
    if (duid === null || seen.has(code)) continue;
    seen.add(code);
    duidRow(row, duid);
  }
  return row;
}

const LINK_FIELDS = ['lldp.tlv.system.name', 'lldp.tlv.system.desc', 'lldp.chassis.id.mac', 'lldp.port.id', 'lldp.port.desc', 'lldp.mgn.addr.ip4', 'cdp.deviceid', 'cdp.platform', 'cdp.software_version', 'cdp.portid'];
const SNMP_FIELDS = ['snmp.community', 'snmp.name', 'snmp.value.oid', 'snmp.value.octets'];
const DHCPV6_FIELDS = [
  'dhcpv6.msgtype',
  'dhcpv6.requested_option_code',
  'dhcpv6.vendorclass.enterprise',
  'dhcpv6.vendorclass.data',
  'dhcpv6.duid.type',
  'dhcpv6.duid.bytes',
  'dhcpv6.duidllt.time',
  'dhcpv6.duidllt.hwtype',
  'dhcpv6.duidllt.link_layer_addr',
  'dhcpv6.duidll.hwtype',
  'dhcpv6.duidll.link_layer_addr',
  'dhcpv6.duiden.enterprise',
  'dhcpv6.duiden.identifier',
  'dhcpv6.duiduuid.bytes',
];

/** RFC 792 / RFC 4443 errors quote a datagram, which tshark dissects again (an SNMP or DHCP request, say). */
function quotingIcmp(_frame: Frame, d: Dissection): string | null {
  return d.l4 === L4_ICMP || d.l4 === L4_ICMPV6 ? 'ICMP error quoting another packet' : null;
}

export function linkDiscoveryExtractor(): Extractor {
  return { fields: LINK_FIELDS, frame: (frame, d) => ({ ...lldpRow(frame, d), ...cdpRow(frame, d) }) };
}

export function snmpExtractor(): Extractor {
  return { fields: SNMP_FIELDS, skip: quotingIcmp, frame: snmpRow };
}

export function dhcpv6Extractor(): Extractor {
  return { fields: DHCPV6_FIELDS, skip: quotingIcmp, frame: dhcpv6Row };
}

/** Every discovery protocol at once (one tshark run per capture). */
export function discoveryExtractor(): Extractor {
  const ssh = sshExtractor();
  return {
    fields: [...LINK_FIELDS, ...SNMP_FIELDS, ...DHCPV6_FIELDS, ...ssh.fields, ...DHCP_FIELDS, ...ARP_FIELDS],
    decodeAs: ssh.decodeAs ?? [],
    skip: quotingIcmp,
    frame: (frame, d, dissected) => ({
      ...lldpRow(frame, d),
      ...cdpRow(frame, d),
      ...snmpRow(frame, d, dissected),
      ...dhcpv6Row(frame, d, dissected),
      ...sshRow(frame, d, dissected),
      ...dhcpRow(frame, d, dissected),
      ...arpRow(frame, d, dissected),
    }),
  };
}
