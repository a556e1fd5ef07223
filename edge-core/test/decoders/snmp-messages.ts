/**
 * Hand-written SNMP messages (RFC 3416 PDUs in BER, X.690), commented field by field: an SNMPv2c
 * response from an infusion pump carrying every value type the decoder names, an SNMPv1 trap, and
 * SNMPv3 messages in plaintext and encrypted. The response also comes in a whole Ethernet frame.
 */
import { hex, text } from './hex.js';

/** 1.3.6.1.4.1.32473: the enterprise number RFC 5612 reserves for documentation. */
const EXAMPLE_ENTERPRISE = '2b0601040181fd59';
/** RFC 3411 §5 SnmpEngineID: enterprise 32473 with the top bit set, format 3 (MAC), the MAC. */
const ENGINE_ID = '80007ed9 03 0009fb1a2b3c';

export const SNMP_V2C_RESPONSE = hex(
  '3081e9', // SEQUENCE, length 233 (long form)
  '020101', // version 1: SNMPv2c
  '0406', text('public'), // community
  'a281db', // GetResponse-PDU, length 219
  '02041a2b3c4d', // request-id 0x1a2b3c4d
  '020100', // error-status 0
  '020100', // error-index 0
  '3081cc', // variable-bindings, length 204
  '3027', // VarBind, length 39
  '0608 2b06010201010100', // name 1.3.6.1.2.1.1.1.0 sysDescr
  '041b', text('Infusion pump IP-200 fw 3.1'), // OCTET STRING, printable
  '3016', // VarBind, length 22
  '0608 2b06010201010200', // 1.3.6.1.2.1.1.2.0 sysObjectID
  '060a', EXAMPLE_ENTERPRISE, '0101', // OBJECT IDENTIFIER 1.3.6.1.4.1.32473.1.1
  '3010', // VarBind, length 16
  '0608 2b06010201010300', // 1.3.6.1.2.1.1.3.0 sysUpTime
  '4304 0001e240', // TimeTicks 123456
  '3014', // VarBind, length 20
  '060a 2b060102010202010601', // 1.3.6.1.2.1.2.2.1.6.1 ifPhysAddress
  '0406 0009fb1a2b3c', // OCTET STRING, not printable
  '3015', // VarBind, length 21
  '060d 2b06010201041401010a140037', // 1.3.6.1.2.1.4.20.1.1.10.20.0.55 ipAdEntAddr
  '4004 0a140037', // IpAddress 10.20.0.55
  '3013', // VarBind, length 19
  '060a 2b060102010202010a01', // 1.3.6.1.2.1.2.2.1.10.1 ifInOctets
  '4105 00ffffffff', // Counter32 4294967295 (a leading zero keeps it positive)
  '300d', // VarBind, length 13
  '0608 2b06010201010700', // 1.3.6.1.2.1.1.7.0 sysServices
  '020148', // INTEGER 72
  '3018', // VarBind, length 24
  '060b 2b060102011f01010106 01', // 1.3.6.1.2.1.31.1.1.1.6.1 ifHCInOctets
  '4609 00ffffffffffffffff', // Counter64 2^64 - 1
  '300c', // VarBind, length 12
  '0608 2b06010201010900', // 1.3.6.1.2.1.1.9.0
  '8100', // noSuchInstance
);

export const SNMP_V1_TRAP = hex(
  '304c', // SEQUENCE, length 76
  '020100', // version 0: SNMPv1
  '0406', text('public'), // community
  'a43f', // Trap-PDU, length 63 (RFC 1157 §4.1.6)
  '060a', EXAMPLE_ENTERPRISE, '0101', // enterprise 1.3.6.1.4.1.32473.1.1
  '4004 0a140028', // agent-addr 10.20.0.40
  '020106', // generic-trap 6 enterpriseSpecific
  '020102', // specific-trap 2
  '4302 1770', // time-stamp 6000
  '3021', // variable-bindings, length 33
  '301f', // VarBind, length 31
  '060c', EXAMPLE_ENTERPRISE, '01020100', // 1.3.6.1.4.1.32473.1.2.1.0
  '040f', text('Occlusion alarm'),
);

export const SNMP_V3_REPORT = hex(
  '306d', // SEQUENCE, length 109
  '020103', // msgVersion 3
  '3011', // msgGlobalData, length 17 (RFC 3412 §6)
  '020400003039', // msgID 12345
  '020300ffe3', // msgMaxSize 65507
  '040100', // msgFlags: noAuthNoPriv, not reportable
  '020103', // msgSecurityModel 3 USM
  '0423', // msgSecurityParameters, length 35
  '3021', // UsmSecurityParameters, length 33 (RFC 3414 §2.4)
  '040b', ENGINE_ID, // msgAuthoritativeEngineID
  '020101', // msgAuthoritativeEngineBoots 1
  '0202012c', // msgAuthoritativeEngineTime 300
  '0407', text('monitor'), // msgUserName
  '0400', // msgAuthenticationParameters: none
  '0400', // msgPrivacyParameters: none
  '3030', // ScopedPDU, length 48
  '040b', ENGINE_ID, // contextEngineID
  '0400', // contextName: default
  'a81f', // Report-PDU, length 31
  '020400003039', // request-id 12345
  '020100', // error-status 0
  '020100', // error-index 0
  '3011', // variable-bindings, length 17
  '300f', // VarBind, length 15
  '060a 2b060106030f01010400', // 1.3.6.1.6.3.15.1.1.4.0 usmStatsUnknownEngineIDs
  '410101', // Counter32 1
);

export const SNMP_V3_ENCRYPTED = hex(
  '3061', // SEQUENCE, length 97
  '020103', // msgVersion 3
  '3011', // msgGlobalData, length 17
  '02040000303a', // msgID 12346
  '020300ffe3', // msgMaxSize 65507
  '040103', // msgFlags: authPriv
  '020103', // msgSecurityModel 3 USM
  '0437', // msgSecurityParameters, length 55
  '3035', // UsmSecurityParameters, length 53
  '040b', ENGINE_ID, // msgAuthoritativeEngineID
  '020101', // boots 1
  '0202012c', // time 300
  '0407', text('monitor'), // user name
  '040c 9f8e7d6c5b4a39281706f5e4', // msgAuthenticationParameters: 12-octet HMAC
  '0408 0000000100000002', // msgPrivacyParameters: 8-octet salt
  '0410 00112233445566778899aabbccddeeff', // encryptedPDU
);

/** The SNMPv2c response from 10.20.0.55:161 to the manager 10.30.0.20:50000, in a whole frame. */
export const SNMP_RESPONSE_FRAME = Uint8Array.from([
  ...hex(
    '00005e000114', // Ethernet destination: the gateway
    '0009fb1a2b3c', // source: the pump
    '0800', // EtherType: IPv4
    '45', // IPv4: version 4, IHL 5
    '00', // DSCP 0
    '0108', // total length 264 = 20 + 8 + 236
    '1c46', // identification
    '0000', // flags 0, fragment offset 0
    '40', // TTL 64
    '11', // protocol 17 UDP
    '4923', // header checksum
    '0a140037', // source 10.20.0.55
    '0a1e0014', // destination 10.30.0.20
    '00a1', // UDP source port 161 (RFC 3417 agent)
    'c350', // destination port 50000
    '00f4', // length 244 = 8 + 236
    '0000', // checksum: none (allowed over IPv4)
  ),
  ...SNMP_V2C_RESPONSE,
]);
export const SNMP_IN_FRAME_OFFSET = 42;
