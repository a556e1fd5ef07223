/**
 * The SNMPv3 message header (RFC 3412 §6) and User-based Security Model parameters (RFC 3414
 * §2.4), read after msgVersion; they identify the agent's SNMP engine even when the PDU is encrypted.
 */
import { u8 } from './bytes.js';
import { hexText, latin1 } from './octet-text.js';
import { expectElement, integerValue, readElement, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE, type BerElement } from './snmp-ber.js';

const SECURITY_MODEL_USM = 3; // RFC 3411 §5 SnmpSecurityModel

export interface SnmpV3Header {
  msgId: number;
  maxSize: number;
  /** msgFlags: 0x01 authentication, 0x02 privacy, 0x04 reportable (RFC 3412 §6.4). */
  flags: number;
  /** msgSecurityModel: 3 USM. */
  securityModel: number;
  /** USM msgAuthoritativeEngineID as lower-case hex (RFC 3411 §5 SnmpEngineID); null for other models. */
  engineId: string | null;
  engineBoots: number | null;
  engineTime: number | null;
  userName: string | null;
  /** ScopedPDU contextEngineID (hex) and contextName; null when encrypted. */
  contextEngineId: string | null;
  contextName: string | null;
  /** True when msgData is an encryptedPDU. */
  encrypted: boolean;
}

export interface SnmpV3Parts {
  v3: SnmpV3Header;
  /** Where the scoped PDU's `data` (the PDU) lies; -1 when encrypted. */
  scopedPduAt: number;
  scopedPduEnd: number;
}

/** The INTEGER elements `count` in a row from `at`; null if any is missing or out of range. */
function integers(buf: Uint8Array, at: number, limit: number, count: number): { values: number[]; end: number } | null {
  const values: number[] = [];
  let next = at;
  for (let i = 0; i < count; i++) {
    const element = expectElement(buf, next, limit, TAG_INTEGER);
    const value = element === null ? null : integerValue(buf, element.start, element.end);
    if (element === null || value === null) return null;
    values.push(value);
    next = element.end;
  }
  return { values, end: next };
}

/** RFC 3414 §2.4 UsmSecurityParameters, inside the msgSecurityParameters OCTET STRING. */
function readUsm(buf: Uint8Array, parameters: BerElement, v3: SnmpV3Header): boolean {
  const usm = expectElement(buf, parameters.start, parameters.end, TAG_SEQUENCE);
  const engineId = usm === null ? null : expectElement(buf, usm.start, usm.end, TAG_OCTET_STRING);
  const bootsAndTime = engineId === null || usm === null ? null : integers(buf, engineId.end, usm.end, 2);
  const userName = bootsAndTime === null || usm === null ? null : expectElement(buf, bootsAndTime.end, usm.end, TAG_OCTET_STRING);
  if (engineId === null || bootsAndTime === null || userName === null) return false;
  v3.engineId = hexText(buf, engineId.start, engineId.end);
  v3.engineBoots = bootsAndTime.values[0] ?? null;
  v3.engineTime = bootsAndTime.values[1] ?? null;
  v3.userName = latin1(buf, userName.start, userName.end);
  return true;
}

/** Reads msgGlobalData, msgSecurityParameters and msgData from `at`; null if malformed. */
export function readV3Header(buf: Uint8Array, at: number, limit: number): SnmpV3Parts | null {
  // msgGlobalData: SEQUENCE { msgID, msgMaxSize, msgFlags OCTET STRING (SIZE(1)), msgSecurityModel }
  const global = expectElement(buf, at, limit, TAG_SEQUENCE);
  const idAndSize = global === null ? null : integers(buf, global.start, global.end, 2);
  const flags = idAndSize === null || global === null ? null : expectElement(buf, idAndSize.end, global.end, TAG_OCTET_STRING);
  const model = flags === null || global === null ? null : integers(buf, flags.end, global.end, 1);
  if (global === null || idAndSize === null || flags === null || model === null || flags.end - flags.start !== 1) return null;
  const parameters = expectElement(buf, global.end, limit, TAG_OCTET_STRING); // msgSecurityParameters
  const data = parameters === null ? null : readElement(buf, parameters.end, limit); // msgData: ScopedPduData
  if (parameters === null || data === null) return null;
  const v3: SnmpV3Header = {
    msgId: idAndSize.values[0] ?? 0,
    maxSize: idAndSize.values[1] ?? 0,
    flags: u8(buf, flags.start),
    securityModel: model.values[0] ?? 0,
    engineId: null,
    engineBoots: null,
    engineTime: null,
    userName: null,
    contextEngineId: null,
    contextName: null,
    encrypted: data.tag === TAG_OCTET_STRING,
  };
  if (v3.securityModel === SECURITY_MODEL_USM && !readUsm(buf, parameters, v3)) return null;
  if (v3.encrypted) return { v3, scopedPduAt: -1, scopedPduEnd: -1 };
  if (data.tag !== TAG_SEQUENCE) return null;
  // ScopedPDU: SEQUENCE { contextEngineID OCTET STRING, contextName OCTET STRING, data PDU }
  const engine = expectElement(buf, data.start, data.end, TAG_OCTET_STRING);
  const name = engine === null ? null : expectElement(buf, engine.end, data.end, TAG_OCTET_STRING);
  if (engine === null || name === null) return null;
  v3.contextEngineId = hexText(buf, engine.start, engine.end);
  v3.contextName = latin1(buf, name.start, name.end);
  return { v3, scopedPduAt: name.end, scopedPduEnd: data.end };
}
