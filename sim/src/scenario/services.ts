/** The small exchanges every device makes with the data centre: name lookups, clock sync, phone registration. */
import { tlsSessionMessages } from '../traffic/tls-session.js';
import type { DayContext } from './day-context.js';
import { DNS_PORT, dnsAnswer, dnsQuery } from './dns-message.js';
import { NTP_PORT, ntpReply, ntpRequest } from './ntp-message.js';
import { SERVERS, fqdn, type Server } from './site.js';
import { SIP_PORT, sipRegister, sipRegisterOk, type SipRegistration } from './sip-message.js';
import type { LocalHost, TcpResult } from './wire.js';

/** How long the resolver lets a client cache an answer: short, so clients ask again every few minutes. */
const DNS_TTL_SECONDS = 60;
/** The upstream reference clock the NTP server names (a stratum-1 source). */
const NTP_REFERENCE = '192.0.2.123';
/** Registrations last ten minutes; phones refresh well before. */
const SIP_EXPIRES_SECONDS = 600;

/** Resolves `server`'s name at the data centre's resolver; returns when the answer was seen. */
export function lookup(ctx: DayContext, host: LocalHost, ts: number, server: Server): number {
  const id = ctx.random.int(0, 0xffff);
  // RFC 5452 §9.2: a random source port for every query.
  const port = ctx.random.int(49152, 65535);
  const name = fqdn(server);
  return ctx.wire.exchange(ts, host, SERVERS.dns, { client: port, server: DNS_PORT }, dnsQuery(id, name), dnsAnswer(id, name, server.ip, DNS_TTL_SECONDS));
}

/** One NTP poll of the data centre's clock; returns when the reply was seen. */
export function syncClock(ctx: DayContext, host: LocalHost, ts: number): number {
  const port = ctx.wire.nextPort(host);
  const received = ts + ctx.random.int(300, 900);
  return ctx.wire.exchange(ts, host, SERVERS.ntp, { client: port, server: NTP_PORT }, ntpRequest(ts), ntpReply(ts, received, received + 40, NTP_REFERENCE));
}

/** A phone refreshing its registration with the call server; `cseq` counts its refreshes. */
export function registerPhone(ctx: DayContext, host: LocalHost, ts: number, extension: string, userAgent: string, cseq: number): number {
  const hex = host.mac.replace(/:/g, '');
  const registration: SipRegistration = {
    extension,
    domain: 'stmary.local',
    phoneIp: host.ip,
    mac: host.mac,
    userAgent,
    callId: `${hex}-${host.ip.replace(/\./g, '')}@${host.ip}`,
    cseq,
    branch: `z9hG4bK${ctx.random.uint32().toString(16)}`,
    tag: hex.slice(6),
    expires: SIP_EXPIRES_SECONDS,
  };
  return ctx.wire.exchange(ts, host, SERVERS.sip, { client: SIP_PORT, server: SIP_PORT }, sipRegister(registration), sipRegisterOk(registration, 'Asterisk PBX 20.5.0', hex.slice(0, 8)));
}

/** An HTTPS check with `server` (TLS with SNI, one request of about `requestBytes`). */
export function httpsCheck(ctx: DayContext, host: LocalHost, ts: number, server: { ip: string; ttl: number; tcpWindow: number; hops: number }, serverName: string, version: '1.2' | '1.3', requestBytes: number): TcpResult {
  const size = Math.round(requestBytes * (0.95 + ctx.random.fraction() * 0.1));
  const alpn = version === '1.3' ? { alpn: ['h2', 'http/1.1'] } : {};
  const messages = tlsSessionMessages({ serverName, version, requestSizes: [size], ...alpn }, ctx.random);
  return ctx.wire.tcp(ts, host, server, 443, messages);
}
