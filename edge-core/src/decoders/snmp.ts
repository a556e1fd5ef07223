/**
 * SNMP messages (RFC 1157 v1, RFC 3416 PDUs with RFC 1901 v2c, RFC 3412 v3) in a UDP payload. Used
 * on the identification path, not per packet: returns a fresh plain object with strings, null on
 * anything malformed, and never throws. An SNMPv3 message returns its header and USM security
 * parameters; its PDU is read only when it is sent in plaintext (privacy flag clear).
 */
import { ipv4ToString } from './address-text.js';
import { u32 } from './bytes.js';
import { hexText, isPrintableAscii, latin1 } from './octet-text.js';
import { expectElement, integerValue, oidText, readElement, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, unsignedText, type BerElement } from './snmp-ber.js';
import { readV3Header, type SnmpV3Header } from './snmp-v3.js';

export type { SnmpV3Header } from './snmp-v3.js';

/** RFC 3416 §3 PDU tags (context-specific, constructed) and RFC 1157 §4.1.6 Trap-PDU. */
const PDU_TYPES = new Map<number, SnmpPduType>([
  [0xa0, 'get'],
  [0xa1, 'getnext'],
  [0xa2, 'response'],
  [0xa3, 'set'],
  [0xa4, 'trap'],
  [0xa5, 'getbulk'],
  [0xa6, 'inform'],
  [0xa7, 'trapv2'],
  [0xa8, 'report'],
]);

/** RFC 2578 §7.1 application types and RFC 3416 §3 exceptions, by tag. */
const VALUE_TYPES = new Map<number, SnmpValueType>([
  [0x02, 'integer'],
  [0x04, 'octets'],
  [0x05, 'null'],
  [0x06, 'oid'],
  [0x40, 'ipAddress'],
  [0x41, 'counter32'],
  [0x42, 'gauge32'],
  [0x43, 'timeTicks'],
  [0x44, 'opaque'],
  [0x46, 'counter64'],
  [0x80, 'noSuchObject'],
  [0x81, 'noSuchInstance'],
  [0x82, 'endOfMibView'],
]);

const VERSION_1 = 0;
const VERSION_2C = 1;
const VERSION_3 = 3;
/** Far more variable bindings than any agent sends in one datagram. */
const MAX_VAR_BINDS = 1024;

export type SnmpPduType = 'get' | 'getnext' | 'response' | 'set' | 'trap' | 'getbulk' | 'inform' | 'trapv2' | 'report';
export type SnmpValueType =
  | 'integer'
  | 'octets'
  | 'null'
  | 'oid'
  | 'ipAddress'
  | 'counter32'
  | 'gauge32'
  | 'timeTicks'
  | 'opaque'
  | 'counter64'
  | 'noSuchObject'
  | 'noSuchInstance'
  | 'endOfMibView'
  | 'other';

export interface SnmpVarBind {
  /** The variable's name, dotted. */
  oid: string;
  type: SnmpValueType;
  /**
   * integer: a number; octets: the text when printable, else lower-case hex; oid: dotted; ipAddress:
   * dotted; counter32, gauge32, timeTicks, counter64: unsigned decimal text; opaque and other: hex;
   * null, the exceptions, and values that do not decode: null.
   */
  value: string | number | null;
  /** True when `value` is the hex of an octet string that is not printable text. */
  hex: boolean;
}

/** RFC 1157 §4.1.6: the SNMPv1 Trap-PDU's own fields. */
export interface SnmpV1Trap {
  enterprise: string;
  agentAddress: string;
  genericTrap: number;
  specificTrap: number;
  timeStamp: string;
}

export interface Snmp {
  /** msgVersion: 0 SNMPv1, 1 SNMPv2c, 3 SNMPv3. */
  version: number;
  /** v1 and v2c community string. */
  community: string | null;
  v3: SnmpV3Header | null;
  /** Null when the PDU is encrypted. */
  pduType: SnmpPduType | null;
  requestId: number | null;
  /** error-status, or non-repeaters in a GetBulkRequest. */
  errorStatus: number | null;
  /** error-index, or max-repetitions in a GetBulkRequest. */
  errorIndex: number | null;
  trap: SnmpV1Trap | null;
  varBinds: SnmpVarBind[];
}

function integerAt(buf: Uint8Array, at: number, limit: number): { value: number; end: number } | null {
  const element = expectElement(buf, at, limit, TAG_INTEGER);
  const value = element === null ? null : integerValue(buf, element.start, element.end);
  return element === null || value === null ? null : { value, end: element.end };
}

function varBindValue(buf: Uint8Array, element: BerElement): SnmpVarBind['value'] {
  const { tag, start, end } = element;
  switch (VALUE_TYPES.get(tag) ?? 'other') {
    case 'integer':
      return integerValue(buf, start, end);
    case 'octets':
      return isPrintableAscii(buf, start, end) ? latin1(buf, start, end) : hexText(buf, start, end);
    case 'oid':
      return oidText(buf, start, end);
    case 'ipAddress':
      return end - start === 4 ? ipv4ToString(u32(buf, start)) : null;
    case 'counter32':
    case 'gauge32':
    case 'timeTicks':
    case 'counter64':
      return unsignedText(buf, start, end);
    case 'opaque':
    case 'other':
      return hexText(buf, start, end);
    default:
      return null;
  }
}

/** RFC 3416 §3 VarBindList: SEQUENCE OF SEQUENCE { name OBJECT IDENTIFIER, value }. */
function readVarBinds(buf: Uint8Array, list: BerElement): SnmpVarBind[] | null {
  const varBinds: SnmpVarBind[] = [];
  for (let at = list.start; at < list.end; ) {
    const pair = expectElement(buf, at, list.end, TAG_SEQUENCE);
    if (pair === null || varBinds.length === MAX_VAR_BINDS) return null;
    const name = expectElement(buf, pair.start, pair.end, TAG_OID);
    const oid = name === null ? null : oidText(buf, name.start, name.end);
    const value = name === null ? null : readElement(buf, name.end, pair.end);
    if (oid === null || value === null) return null;
    const type = VALUE_TYPES.get(value.tag) ?? 'other';
    const printable = type !== 'octets' || isPrintableAscii(buf, value.start, value.end);
    varBinds.push({ oid, type, value: varBindValue(buf, value), hex: !printable });
    at = pair.end;
  }
  return varBinds;
}

/** RFC 1157 §4.1.6 Trap-PDU: enterprise, agent-addr, generic-trap, specific-trap, time-stamp, variable-bindings. */
function readTrap(buf: Uint8Array, pdu: BerElement, snmp: Snmp): boolean {
  const enterprise = expectElement(buf, pdu.start, pdu.end, TAG_OID);
  if (enterprise === null) return false;
  const agent = expectElement(buf, enterprise.end, pdu.end, 0x40); // NetworkAddress: IpAddress
  if (agent === null || agent.end - agent.start !== 4) return false;
  const generic = integerAt(buf, agent.end, pdu.end);
  const specific = generic === null ? null : integerAt(buf, generic.end, pdu.end);
  const time = specific === null ? null : expectElement(buf, specific.end, pdu.end, 0x43); // TimeTicks
  const list = time === null ? null : expectElement(buf, time.end, pdu.end, TAG_SEQUENCE);
  const varBinds = list === null ? null : readVarBinds(buf, list);
  const oid = oidText(buf, enterprise.start, enterprise.end);
  const timeStamp = time === null ? null : unsignedText(buf, time.start, time.end);
  if (generic === null || specific === null || varBinds === null || oid === null || timeStamp === null) return false;
  snmp.trap = { enterprise: oid, agentAddress: ipv4ToString(u32(buf, agent.start)), genericTrap: generic.value, specificTrap: specific.value, timeStamp };
  snmp.varBinds = varBinds;
  return true;
}

/** RFC 3416 §3 PDU (or the v1 Trap-PDU) at `at`; false if malformed. */
function readPdu(buf: Uint8Array, at: number, limit: number, snmp: Snmp): boolean {
  const pdu = readElement(buf, at, limit);
  const pduType = pdu === null ? undefined : PDU_TYPES.get(pdu.tag);
  if (pdu === null || pduType === undefined) return false;
  snmp.pduType = pduType;
  if (pduType === 'trap') return readTrap(buf, pdu, snmp);
  // request-id, error-status (or non-repeaters), error-index (or max-repetitions), variable-bindings
  const requestId = integerAt(buf, pdu.start, pdu.end);
  const errorStatus = requestId === null ? null : integerAt(buf, requestId.end, pdu.end);
  const errorIndex = errorStatus === null ? null : integerAt(buf, errorStatus.end, pdu.end);
  const list = errorIndex === null ? null : expectElement(buf, errorIndex.end, pdu.end, TAG_SEQUENCE);
  const varBinds = list === null ? null : readVarBinds(buf, list);
  if (requestId === null || errorStatus === null || errorIndex === null || varBinds === null) return false;
  snmp.requestId = requestId.value;
  snmp.errorStatus = errorStatus.value;
  snmp.errorIndex = errorIndex.value;
  snmp.varBinds = varBinds;
  return true;
}

/**
 * Decodes the SNMP message at `buf[offset, end)`: a SEQUENCE of version, then the community and
 * PDU (v1, v2c) or the v3 header and scoped PDU. Octets after the message are ignored. Returns null
 * on any malformed element, an unknown version or PDU type.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Snmp | null {
  const limit = Math.min(end, buf.length);
  const message = expectElement(buf, offset, limit, TAG_SEQUENCE);
  if (message === null) return null;
  const version = integerAt(buf, message.start, message.end); // RFC 3416 / RFC 3412 §6: msgVersion
  if (version === null) return null;
  const snmp: Snmp = { version: version.value, community: null, v3: null, pduType: null, requestId: null, errorStatus: null, errorIndex: null, trap: null, varBinds: [] };
  if (version.value === VERSION_1 || version.value === VERSION_2C) {
    const community = expectElement(buf, version.end, message.end, TAG_OCTET_STRING); // RFC 1157 §4.1, RFC 1901 §3
    if (community === null) return null;
    snmp.community = latin1(buf, community.start, community.end);
    return readPdu(buf, community.end, message.end, snmp) ? snmp : null;
  }
  if (version.value !== VERSION_3) return null;
  const header = readV3Header(buf, version.end, message.end);
  if (header === null) return null;
  snmp.v3 = header.v3;
  if (header.scopedPduAt < 0) return snmp; // encrypted
  return readPdu(buf, header.scopedPduAt, header.scopedPduEnd, snmp) ? snmp : null;
}
