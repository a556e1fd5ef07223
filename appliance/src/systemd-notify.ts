/**
 * The service manager notification protocol, sd_notify(3): newline-separated `VARIABLE=value`
 * assignments sent as one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET (`READY=1`,
 * `STATUS=…`, `STOPPING=1`, `WATCHDOG=1`, `EXTEND_TIMEOUT_USEC=…`). Without $NOTIFY_SOCKET (not started by systemd, or a unit
 * that is not Type=notify) every call is a no-op, as sd_notify() is.
 *
 * Datagrams go out through node-unix-socket, loaded when first needed; where its native build is not
 * installed for the board (npm installs only the platforms its lockfile lists), each notification
 * is handed to systemd-notify(1) instead, which the unit allows with NotifyAccess=all.
 *
 * A name starting with '@' is a Linux abstract socket (unix(7)). node-unix-socket 0.2.7 passes the
 * whole sun_path as the address length, so it reaches `\0name` padded with NULs rather than the
 * `\0name` systemd binds: abstract sockets are reported as unusable instead of silently missed.
 * systemd itself names a filesystem path (/run/systemd/notify for the system manager).
 */
import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import { ApplianceError } from './errors.js';

export const notifyDefaults = {
  /** A notification is a few short lines; STATUS= text beyond this is cut (a datagram must stay small). */
  maxStatusLength: 400,
};

export type NotifierState =
  | { enabled: true; socket: string }
  | { enabled: false; reason: 'no-notify-socket' }
  | { enabled: false; reason: 'unsupported'; socket: string; error: ApplianceError };

/** Where a service manager waits for notifications, from the environment it started us with. */
export function notifySocketFrom(env: NodeJS.ProcessEnv): NotifierState {
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return { enabled: false, reason: 'no-notify-socket' };
  if (socket.startsWith('@')) {
    const error = new ApplianceError(
      'APPLIANCE_ERR_NOTIFY_SOCKET',
      `NOTIFY_SOCKET=${socket} is an abstract socket, which this build cannot address; readiness and watchdog notifications are off (run the sensor under systemd's own /run/systemd/notify, or without Type=notify and WatchdogSec=)`,
    );
    return { enabled: false, reason: 'unsupported', socket, error };
  }
  if (!socket.startsWith('/')) {
    const error = new ApplianceError('APPLIANCE_ERR_NOTIFY_SOCKET', `NOTIFY_SOCKET=${socket} is neither an absolute path nor an abstract socket; notifications are off`);
    return { enabled: false, reason: 'unsupported', socket, error };
  }
  return { enabled: true, socket };
}

/** One line of STATUS= text: no newline may split the assignment (sd_notify(3)). */
export function statusLine(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > notifyDefaults.maxStatusLength ? `${line.slice(0, notifyDefaults.maxStatusLength - 1)}…` : line;
}

type Send = (message: Buffer, socketPath: string) => Promise<Error | null>;

/** Sends with node-unix-socket where it loads, otherwise through systemd-notify(1). */
async function loadSender(log: Logger | undefined): Promise<Send> {
  try {
    const { DgramSocket } = await import('node-unix-socket');
    return (message, socketPath) =>
      new Promise((resolve) => {
        let socket: InstanceType<typeof DgramSocket> | undefined;
        try {
          socket = new DgramSocket();
          socket.sendTo(message, 0, message.length, socketPath, (err) => {
            socket?.close();
            resolve(err ?? null);
          });
        } catch (err) {
          socket?.close();
          resolve(err as Error);
        }
      });
  } catch (err) {
    log?.warn({ code: 'APPLIANCE_ERR_NOTIFY_SOCKET', err: (err as Error).message }, 'the native datagram module is not installed for this board; notifying through systemd-notify');
    return notifyThroughCommand;
  }
}

/** One notification through systemd-notify(1) (a process of its own: the unit needs NotifyAccess=all). */
export function notifyThroughCommand(message: Buffer, socketPath: string): Promise<Error | null> {
  return new Promise((resolve) => {
    const assignments = message.toString('utf8').split('\n');
    execFile('systemd-notify', assignments, { env: { ...process.env, NOTIFY_SOCKET: socketPath }, timeout: 5000 }, (error) => resolve(error));
  });
}

export class SystemdNotifier {
  readonly state: NotifierState;
  private readonly log: Logger | undefined;
  private failures = 0;
  private sender: Promise<Send> | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env, log?: Logger) {
    this.state = notifySocketFrom(env);
    this.log = log?.child({ module: 'systemd-notify' });
    if (this.state.enabled === false && this.state.reason === 'unsupported') {
      this.log?.warn({ code: this.state.error.code, socket: this.state.socket }, this.state.error.message);
    }
  }

  get enabled(): boolean {
    return this.state.enabled;
  }

  /**
   * Sends assignments in one datagram; resolves to whether it was delivered. Never throws: a
   * sensor must not stop because its service manager went away. Each send uses its own socket, so
   * nothing is left open to keep the process alive.
   */
  notify(assignments: Record<string, string>): Promise<boolean> {
    if (!this.state.enabled) return Promise.resolve(false);
    const socketPath = this.state.socket;
    const message = Buffer.from(
      Object.entries(assignments)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    this.sender ??= loadSender(this.log);
    return this.sender.then(async (send) => {
      const err = await send(message, socketPath);
      if (err) this.failed(err);
      return !err;
    });
  }

  /** READY=1: start-up is finished (Type=notify units become active only now). */
  ready(status?: string): Promise<boolean> {
    return this.notify(status === undefined ? { READY: '1' } : { READY: '1', STATUS: statusLine(status) });
  }

  /** STATUS=: one line shown by `systemctl status`. */
  status(text: string): Promise<boolean> {
    return this.notify({ STATUS: statusLine(text) });
  }

  /** STOPPING=1: shutdown has begun. */
  stopping(status?: string): Promise<boolean> {
    return this.notify(status === undefined ? { STOPPING: '1' } : { STOPPING: '1', STATUS: statusLine(status) });
  }

  /**
   * EXTEND_TIMEOUT_USEC=: asks for `ms` more from now before the start (or stop) timeout fires; for a
   * start that waits on something outside, such as a hub that is not up yet at first-boot enrolment.
   */
  extendTimeout(ms: number): Promise<boolean> {
    return this.notify({ EXTEND_TIMEOUT_USEC: String(Math.max(1, Math.round(ms * 1000))) });
  }

  /** WATCHDOG=1: the keep-alive ping (see watchdog.ts for when to send it). */
  watchdog(): Promise<boolean> {
    return this.notify({ WATCHDOG: '1' });
  }

  /** Logs the first failure and then every hundredth, so a lost manager does not flood the log. */
  private failed(err: Error): void {
    this.failures += 1;
    if (this.failures === 1 || this.failures % 100 === 0) {
      this.log?.warn({ code: 'APPLIANCE_ERR_NOTIFY_SOCKET', err, failures: this.failures }, 'cannot notify the service manager');
    }
  }
}
