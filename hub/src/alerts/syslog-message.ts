/**
 * RFC 5424 syslog messages and RFC 5425 (RFC 6587 §3.4.1) octet-counting frames:
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [meta sequenceId="n"] MSG
 * framed on the TLS stream as `<length in octets> <message>`.
 */
import type { Severity } from './alert.js';
import type { AlertEvent } from './event.js';

export interface SyslogOrigin {
  /** RFC 5424 §6.2.1 facility, 0–23. */
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
}

/** RFC 5424 Table 1: 14 is "log alert", the facility meant for alerts. */
export const SYSLOG_FACILITY_LOG_ALERT = 14;

/** RFC 5424 Table 2 severities: critical 2, error 3, warning 4, notice 5; informational 6. */
const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5 };
const INFORMATIONAL = 6;

/** A raise carries the alert's severity; an analyst's acknowledgement or resolution is informational. */
export function syslogSeverity(event: AlertEvent): number {
  return event.type === 'raised' ? SYSLOG_SEVERITY[event.alert.severity] : INFORMATIONAL;
}

/**
 * A header field (RFC 5424 §6.2): printable US-ASCII without spaces, cut to its length limit, or
 * the NILVALUE `-` when nothing is left.
 */
export function headerField(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return printable === '' ? '-' : printable;
}

/** RFC 5424 §6.3.3: `"`, `\` and `]` escaped in a PARAM-VALUE. */
function paramValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** RFC 5424 §7.3.1: sequenceId runs 1 to 2147483647 and then starts again at 1. */
function sequenceId(seq: number): number {
  return ((seq - 1) % 2_147_483_647) + 1;
}

export function rfc5424(event: AlertEvent, origin: SyslogOrigin, msg: string): string {
  const pri = origin.facility * 8 + syslogSeverity(event);
  // Date.toISOString gives RFC 3339 in UTC with milliseconds, which is §6.2.3 TIMESTAMP.
  const timestamp = new Date(event.at).toISOString();
  const sd = `[meta sequenceId="${paramValue(String(sequenceId(event.seq)))}"]`;
  return [
    `<${pri}>1`,
    timestamp,
    headerField(origin.hostname, 255),
    headerField(origin.appName, 48),
    headerField(origin.procId, 128),
    headerField(`alert-${event.type}`, 32),
    sd,
    msg,
  ].join(' ');
}

/** RFC 5425 §4.3 octet-counting: MSG-LEN is the length in octets of the UTF-8 message that follows. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
