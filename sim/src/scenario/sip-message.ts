/** SIP REGISTER refreshes of a desk phone and the registrar's answer (RFC 3261 §10.2, §8.2.6). */
import { latin1 } from '../packets/bytes.js';

export const SIP_PORT = 5060;

export interface SipRegistration {
  /** The phone's extension, the user part of its address of record. */
  extension: string;
  domain: string;
  phoneIp: string;
  mac: string;
  userAgent: string;
  callId: string;
  cseq: number;
  branch: string;
  tag: string;
  expires: number;
}

function lines(all: readonly string[]): Uint8Array {
  return latin1(`${all.join('\r\n')}\r\n\r\n`);
}

/** §10.2: REGISTER to the domain, To = From = the address of record, Contact = where the phone listens. */
export function sipRegister(r: SipRegistration): Uint8Array {
  return lines([
    `REGISTER sip:${r.domain} SIP/2.0`,
    `Via: SIP/2.0/UDP ${r.phoneIp}:${SIP_PORT};branch=${r.branch};rport`,
    `From: <sip:${r.extension}@${r.domain}>;tag=${r.tag}`,
    `To: <sip:${r.extension}@${r.domain}>`,
    `Call-ID: ${r.callId}`,
    `CSeq: ${r.cseq} REGISTER`,
    `Contact: <sip:${r.extension}@${r.phoneIp}:${SIP_PORT}>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-${r.mac.replace(/:/g, '')}>"`,
    'Max-Forwards: 70',
    `User-Agent: ${r.userAgent}`,
    `Expires: ${r.expires}`,
    'Content-Length: 0',
  ]);
}

/** §10.3: 200 OK echoing Via, From, To (with the registrar's tag), Call-ID and CSeq, and the binding. */
export function sipRegisterOk(r: SipRegistration, server: string, registrarTag: string): Uint8Array {
  return lines([
    'SIP/2.0 200 OK',
    `Via: SIP/2.0/UDP ${r.phoneIp}:${SIP_PORT};branch=${r.branch};rport=${SIP_PORT};received=${r.phoneIp}`,
    `From: <sip:${r.extension}@${r.domain}>;tag=${r.tag}`,
    `To: <sip:${r.extension}@${r.domain}>;tag=${registrarTag}`,
    `Call-ID: ${r.callId}`,
    `CSeq: ${r.cseq} REGISTER`,
    `Contact: <sip:${r.extension}@${r.phoneIp}:${SIP_PORT}>;expires=${r.expires}`,
    `Server: ${server}`,
    'Content-Length: 0',
  ]);
}
