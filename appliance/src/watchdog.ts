/**
 * The systemd watchdog (WatchdogSec=, systemd.service(5); sd_watchdog_enabled(3)): the manager sets
 * WATCHDOG_USEC (and WATCHDOG_PID, the process meant) and expects WATCHDOG=1 at least that often,
 * else it kills and restarts the service. Pings go out at half the interval, as sd_watchdog_enabled(3)
 * recommends, from a timer of the main event loop: a main loop that hangs (a busy loop, a blocking
 * call) stops the pings, which is the point. systemd arms the watchdog once the service runs (after
 * READY=1; src/core/service.c stops it in the start state), so pings sent while starting are harmless
 * and a slow start is bounded by TimeoutStartSec= instead. Also sends a one-line STATUS= now and then.
 */
import type { Logger } from 'pino';
import type { SystemdNotifier } from './systemd-notify.js';

export const watchdogDefaults = {
  /** Pings per watchdog interval: two, so one late ping does not trip it. */
  pingsPerInterval: 2,
  /** Never ping more often than this, whatever WATCHDOG_USEC says (a bogus tiny value would spin). */
  minPingMs: 50,
  /** STATUS= lines are sent this often while running. */
  statusIntervalMs: 30_000,
  statusBounds: { min: 1000, max: 3_600_000 },
};

export type WatchdogRequest = { enabled: true; intervalMs: number } | { enabled: false; reason: 'not-requested' | 'other-process' | 'invalid' };

/** Whether the manager asks this process for pings, and how often (sd_watchdog_enabled(3)). */
export function watchdogRequest(env: NodeJS.ProcessEnv = process.env, pid = process.pid): WatchdogRequest {
  const usecText = env.WATCHDOG_USEC;
  if (!usecText) return { enabled: false, reason: 'not-requested' };
  const usec = Number(usecText);
  if (!/^\d+$/.test(usecText) || !Number.isSafeInteger(usec) || usec <= 0) return { enabled: false, reason: 'invalid' };
  const pidText = env.WATCHDOG_PID;
  if (pidText && Number(pidText) !== pid) return { enabled: false, reason: 'other-process' };
  return { enabled: true, intervalMs: usec / 1000 };
}

export interface WatchdogOptions {
  env?: NodeJS.ProcessEnv;
  pid?: number;
  log?: Logger;
  /** A one-line summary for STATUS=; without it no status lines are sent. */
  summary?: () => string;
  statusIntervalMs?: number;
  /** Switched off by configuration (`watchdog.enabled: false`): no pings even when asked for. */
  enabled?: boolean;
}

export class Watchdog {
  readonly request: WatchdogRequest;
  /** Milliseconds between pings, or undefined when no pings are sent. */
  readonly pingMs: number | undefined;
  private readonly statusMs: number;
  private pingTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private pings = 0;

  constructor(
    private readonly notifier: SystemdNotifier,
    private readonly options: WatchdogOptions = {},
  ) {
    this.request = watchdogRequest(options.env ?? process.env, options.pid ?? process.pid);
    const wanted = this.request.enabled && options.enabled !== false && notifier.enabled;
    this.pingMs = wanted && this.request.enabled ? Math.max(watchdogDefaults.minPingMs, this.request.intervalMs / watchdogDefaults.pingsPerInterval) : undefined;
    const { min, max } = watchdogDefaults.statusBounds;
    this.statusMs = Math.min(max, Math.max(min, options.statusIntervalMs ?? watchdogDefaults.statusIntervalMs));
  }

  /** Pings sent so far. */
  get pingCount(): number {
    return this.pings;
  }

  /** Starts pinging (and status lines); pings go out at once, then every `pingMs`. */
  start(): void {
    if (this.pingTimer || this.statusTimer) return;
    const log = this.options.log?.child({ module: 'watchdog' });
    if (this.pingMs !== undefined) {
      const ping = () => {
        this.pings += 1;
        void this.notifier.watchdog();
      };
      ping();
      this.pingTimer = setInterval(ping, this.pingMs);
      // The pings alone must not keep a finished process alive.
      this.pingTimer.unref();
      log?.info({ pingMs: this.pingMs }, 'systemd watchdog pings started');
    } else if (this.request.enabled) {
      log?.info({ configured: this.options.enabled !== false, notify: this.notifier.enabled }, 'systemd watchdog requested but pings are off');
    } else if (this.request.reason !== 'not-requested') {
      log?.warn({ reason: this.request.reason }, 'WATCHDOG_USEC is set but not for this process or not a number; no pings');
    }
    const summary = this.options.summary;
    if (summary && this.notifier.enabled) {
      const report = () => {
        try {
          void this.notifier.status(summary());
        } catch (err) {
          log?.warn({ err }, 'status summary failed');
        }
      };
      this.statusTimer = setInterval(report, this.statusMs);
      this.statusTimer.unref();
    }
  }

  stop(): void {
    clearInterval(this.pingTimer);
    clearInterval(this.statusTimer);
    this.pingTimer = undefined;
    this.statusTimer = undefined;
  }
}
