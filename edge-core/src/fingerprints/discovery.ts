/**
 * What network gear and managed devices say of themselves: LLDP and CDP advertisements (system
 * name and description, platform, software version, capabilities), DHCPv6 client traits
 * (vendor class with its enterprise number, requested options, FQDN) and SNMP agents' answers
 * about their own system group (sysDescr, sysObjectID, sysName).
 */
import { decode as decodeCdp } from '../decoders/cdp.js';
import { decode as decodeDhcpv6 } from '../decoders/dhcpv6.js';
import { decode as decodeLldp } from '../decoders/lldp.js';
import { decode as decodeSnmp } from '../decoders/snmp.js';
import type { AppHandler } from './app-facts.js';

/** A device describing itself in a protocol made for that. */
const SELF_DESCRIBED = 0.95;
const TRAIT = 0.9;

const endOf = (d: { payloadOffset: number; payloadLength: number }): number => d.payloadOffset + d.payloadLength;

/** IEEE 802.1AB-2016 Table 8-4: system capability bits, in bit order. */
const LLDP_CAPABILITIES = ['other', 'repeater', 'bridge', 'wlanAccessPoint', 'router', 'telephone', 'docsisCableDevice', 'stationOnly', 'cVlan', 'sVlan', 'tpmr'];

function capabilityNames(bits: number): string {
  return LLDP_CAPABILITIES.filter((_, i) => (bits & (1 << i)) !== 0).join(',');
}

export const lldpHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeLldp(buf, d.payloadOffset, endOf(d));
  if (m === null) return;
  const said = `LLDP chassis ${m.chassisId} port ${m.portId}`;
  if (m.systemName) facts.found('lldp.systemName', m.systemName, 'lldp.systemName', said, SELF_DESCRIBED);
  if (m.systemDescription) facts.found('lldp.systemDescription', m.systemDescription, 'lldp.systemDescription', said, SELF_DESCRIBED);
  facts.found('lldp.chassisId', m.chassisId, 'lldp.chassisId', `${said} (chassis ID subtype ${m.chassisIdSubtype})`, SELF_DESCRIBED);
  if (m.enabledCapabilities !== null && m.enabledCapabilities !== 0) {
    const names = capabilityNames(m.enabledCapabilities);
    facts.found('lldp.capabilities', names, 'lldp.capabilities', `${said} enabled capabilities ${names}`, SELF_DESCRIBED);
  }
};

export const cdpHandler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeCdp(buf, d.payloadOffset, endOf(d));
  if (m === null) return;
  const said = `CDPv${m.version} ${m.deviceId ?? '-'} port ${m.portId ?? '-'}`;
  if (m.deviceId) facts.found('cdp.deviceId', m.deviceId, 'cdp.deviceId', said, SELF_DESCRIBED);
  if (m.platform) facts.found('cdp.platform', m.platform, 'cdp.platform', said, SELF_DESCRIBED);
  if (m.softwareVersion) facts.found('cdp.softwareVersion', m.softwareVersion, 'cdp.softwareVersion', said, SELF_DESCRIBED);
};

// RFC 8415 §7.3: messages a client sends.
const DHCPV6_CLIENT_MESSAGES = new Set([1, 3, 4, 5, 6, 8, 9, 11]);

export const dhcpv6Handler: AppHandler = (buf, d, _ts, facts) => {
  const m = decodeDhcpv6(buf, d.payloadOffset, endOf(d));
  // A relayed message is the relay agent's packet; the client is behind it.
  if (m === null || m.relays.length > 0 || !DHCPV6_CLIENT_MESSAGES.has(m.messageType)) return;
  const said = `DHCPv6 type ${m.messageType} options ${m.optionCodes.join(',')}`;
  for (const vendorClass of m.vendorClasses) {
    for (const data of vendorClass.data) facts.found('dhcpv6.vendorClass', `${vendorClass.enterpriseNumber}:${data}`, 'dhcpv6.vendorClass', said, TRAIT);
    facts.found('dhcpv6.enterprise', `${vendorClass.enterpriseNumber}`, 'dhcpv6.enterprise', said, TRAIT);
  }
  for (const enterprise of m.vendorOptionEnterprises) facts.found('dhcpv6.enterprise', `${enterprise}`, 'dhcpv6.enterprise', said, TRAIT);
  if (m.requestedOptions) facts.found('dhcpv6.oro', m.requestedOptions.join(','), 'dhcpv6.oro', said, TRAIT);
  if (m.fqdn) facts.found('dhcpv6.fqdn', m.fqdn, 'dhcpv6.fqdn', said, 0.9);
};

// RFC 1213 §6 system group, instance 0.
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';

export const snmpHandler: AppHandler = (buf, d, _ts, facts) => {
  // An agent's answer about itself comes from port 161 (RFC 3417 §3).
  if (d.srcPort !== 161) return;
  const m = decodeSnmp(buf, d.payloadOffset, endOf(d));
  if (m === null || m.pduType !== 'response') return;
  for (const bind of m.varBinds) {
    if (bind.value === null || bind.value === '') continue;
    const value = `${bind.value}`;
    const said = `SNMPv${m.version === 0 ? 1 : m.version === 1 ? '2c' : 3} response ${bind.oid}`;
    if (bind.oid === SYS_DESCR && !bind.hex) facts.found('snmp.sysDescr', value, 'snmp.sysDescr', said, SELF_DESCRIBED);
    else if (bind.oid === SYS_OBJECT_ID) facts.found('snmp.sysObjectID', value, 'snmp.sysObjectID', said, SELF_DESCRIBED);
    else if (bind.oid === SYS_NAME && !bind.hex) facts.found('snmp.sysName', value, 'snmp.sysName', said, 0.9);
  }
};
