/**
 * DHCPv4 (the existing decoder, edge-core/src/decoders/dhcp.ts) and ARP (the dissector's record) in
 * tshark's field names and text forms. tshark 4.0 fills neither `dhcp.client_id` nor
 * `dhcp.option.client_id`: a client identifier shows as `dhcp.hw.mac_addr` when it is a hardware
 * type and 6-octet address, and as `dhcp.client_id.type` when it is opaque.
 */
import * as dhcp from '../../src/decoders/dhcp.js';
import { APP_DHCP, ipv4ToString, L3_ARP, L4_UDP, macToString, type Dissection } from '../../src/dissect.js';
import { put, tsharkString } from './discovery-forms.js';
import type { Extractor, Fields, Frame } from './harness.js';

export const DHCP_FIELDS = [
  'dhcp.option.dhcp',
  'dhcp.option.hostname',
  'dhcp.option.vendor_class_id',
  'dhcp.option.request_list_item',
  'dhcp.client_id.type',
  'dhcp.hw.mac_addr',
  'dhcp.fqdn.name',
  'dhcp.option.requested_ip_address',
];
export const ARP_FIELDS = ['arp.src.hw_mac', 'arp.src.proto_ipv4'];

// IANA ARP hardware types tshark shows as an Ethernet address (ARPHRD_ETHER, ARPHRD_IEEE802).
const HTYPE_ETHERNET = 1;
const HTYPE_IEEE802 = 6;
const HTYPE_LIMIT = 48; // tshark reads a 7-octet client identifier as hardware type + address below this
const CLIENT_ID_DUID = 255; // RFC 4361 §6.1
const CLIENT_ID_UUID_LENGTH = 17;

/** What tshark shows of option 61 (hex, type first): the MAC, the opaque type, or nothing (UUID, DUID). */
function clientIdFields(hex: string): { mac: string[]; type: string[] } {
  const type = Number.parseInt(hex.slice(0, 2), 16);
  const octets = hex.length / 2;
  if (octets === 7 && type > 0 && type < HTYPE_LIMIT) {
    const mac = hex.slice(2).replace(/(..)(?!$)/g, '$1:');
    return { mac: type === HTYPE_ETHERNET || type === HTYPE_IEEE802 ? [mac] : [], type: [] };
  }
  if ((octets === CLIENT_ID_UUID_LENGTH && type === 0) || type === CLIENT_ID_DUID) return { mac: [], type: [] };
  return { mac: [], type: [`${type}`] };
}

export function dhcpRow(frame: Frame, d: Dissection, dissected: boolean): Fields | null {
  if (!dissected || d.l4 !== L4_UDP || d.app !== APP_DHCP) return null;
  const message = dhcp.decode(frame.bytes, d.payloadOffset, d.payloadLength);
  if (message === null) return null;
  const row: Fields = {};
  const clientId = message.clientId === null ? { mac: [], type: [] } : clientIdFields(message.clientId);
  const chaddrIsMac = (message.htype === HTYPE_ETHERNET || message.htype === HTYPE_IEEE802) && message.hlen === 6;
  put(row, 'dhcp.option.dhcp', message.messageType === null ? [] : [`${message.messageType}`]);
  put(row, 'dhcp.option.hostname', message.hostname === null ? [] : [tsharkString(message.hostname)]);
  put(row, 'dhcp.option.vendor_class_id', message.vendorClassId === null ? [] : [tsharkString(message.vendorClassId)]);
  put(row, 'dhcp.option.request_list_item', (message.parameterRequestList ?? []).map(String));
  put(row, 'dhcp.client_id.type', clientId.type);
  put(row, 'dhcp.hw.mac_addr', [...(chaddrIsMac ? [message.chaddr] : []), ...clientId.mac]);
  put(row, 'dhcp.fqdn.name', message.clientFqdn === null ? [] : [tsharkString(message.clientFqdn)]);
  put(row, 'dhcp.option.requested_ip_address', message.requestedIp === null ? [] : [ipv4ToString(message.requestedIp)]);
  return row;
}

export function arpRow(_frame: Frame, d: Dissection, dissected: boolean): Fields | null {
  if (!dissected || d.l3 !== L3_ARP) return null;
  return { 'arp.src.hw_mac': [macToString(d.arpSenderMac)], 'arp.src.proto_ipv4': [ipv4ToString(d.arpSenderIp)] };
}

export function dhcpExtractor(): Extractor {
  return { fields: DHCP_FIELDS, frame: dhcpRow };
}

export function arpExtractor(): Extractor {
  return { fields: ARP_FIELDS, frame: arpRow };
}
