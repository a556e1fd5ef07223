/**
 * What the alert book tells the outside world: one event for every new alert and every change of
 * state, queued for each destination (a SIEM over syslog, a webhook) and delivered in order.
 */
import type { Alert } from './alert.js';

/** `raised`: a new alert; `acknowledged` and `resolved`: an analyst moved it. */
export const ALERT_EVENT_TYPES = ['raised', 'acknowledged', 'resolved'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

export interface AlertEvent {
  /** Numbered by the book across all alerts; a receiver that sees a number twice saw a resend. */
  seq: number;
  type: AlertEventType;
  /** When it happened (hub clock, ISO 8601). */
  at: string;
  /** The alert as it was just after the event. */
  alert: Alert;
}

export const ALERT_SINK_KINDS = ['syslog', 'webhook'] as const;
export type AlertSinkKind = (typeof ALERT_SINK_KINDS)[number];

/**
 * One destination. `deliver` resolves once the receiver has taken the event and rejects otherwise
 * (the event then stays queued and is tried again); `close` gives up any connection, making an
 * unfinished `deliver` reject.
 */
export interface AlertSink {
  /** Stable across restarts, so that a restarted hub finds the events still queued for it. */
  readonly id: string;
  readonly kind: AlertSinkKind;
  /** Where it delivers, without secrets: `tls://siem.example:6514`, `https://soar.example/hook`. */
  readonly target: string;
  deliver(event: AlertEvent): Promise<void>;
  close(): Promise<void>;
}

/** How one destination is doing. */
export interface SinkStatus {
  id: string;
  kind: AlertSinkKind;
  target: string;
  /** Events waiting for this destination. */
  queued: number;
  /** Events it has taken, ever. */
  delivered: number;
  /** Failed attempts since the hub started. */
  failures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastDeliveredAt: string | null;
}
