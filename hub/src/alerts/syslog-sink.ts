/**
 * A SIEM over syslog: RFC 5424 messages carrying CEF, on one TLS connection (RFC 5425), opened when
 * there is something to send and opened again after it is lost. The receiver's certificate must
 * chain to the configured CA and carry the configured name; the hub's client certificate is offered
 * for receivers that ask for one.
 *
 * Syslog over TCP has no acknowledgement: an event counts as delivered when the TLS socket has taken
 * its frame on a connection the receiver has not closed. A connection the receiver closed (its FIN
 * seen) is never written to again, and a write that fails or does not drain in time is an error,
 * so the event is sent again on a new connection.
 */
import { connect, type TLSSocket } from 'node:tls';
import { HubError } from '../errors.js';
import { cefMessage } from './cef.js';
import type { AlertEvent, AlertSink } from './event.js';
import { octetFrame, rfc5424, type SyslogOrigin } from './syslog-message.js';

export interface SyslogSinkOptions {
  host: string;
  port: number;
  /** PEM of the CA(s) the receiver's certificate must chain to; Node's default CAs when absent. */
  ca?: string;
  /** The name the receiver's certificate must carry (and SNI); the host when absent. */
  serverName?: string;
  /** The hub's client certificate and key (PEM), offered when the receiver asks for one. */
  clientCert?: { cert: string; key: string };
  /** Limit for connecting, and for a write to drain. */
  timeoutMs: number;
  origin: SyslogOrigin;
  productVersion: string;
}

export class SyslogSink implements AlertSink {
  readonly kind = 'syslog' as const;
  readonly id: string;
  readonly target: string;
  private socket: TLSSocket | null = null;
  /** Set when the current connection is gone (closed by either side, or failed). */
  private lost = true;

  constructor(private readonly opts: SyslogSinkOptions) {
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    this.target = `tls://${host}:${opts.port}`;
    this.id = `syslog-${opts.host.toLowerCase().replace(/[^a-z0-9.:-]/g, '-')}-${opts.port}`;
  }

  async deliver(event: AlertEvent): Promise<void> {
    const frame = octetFrame(rfc5424(event, this.opts.origin, cefMessage(event, this.opts.productVersion)));
    const socket = await this.connection();
    await this.write(socket, frame);
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.socket = null;
    this.lost = true;
  }

  private async connection(): Promise<TLSSocket> {
    if (this.socket && !this.lost) return this.socket;
    this.socket?.destroy();
    const { host, port, ca, serverName, clientCert, timeoutMs } = this.opts;
    const socket = connect({
      host,
      port,
      // Setting servername makes Node check the certificate against it; without it, against the host.
      ...(serverName ? { servername: serverName } : {}),
      ...(ca ? { ca } : {}),
      ...(clientCert ? { cert: clientCert.cert, key: clientCert.key } : {}),
      minVersion: 'TLSv1.2',
    });
    this.socket = socket;
    const markLost = () => {
      if (this.socket === socket) this.lost = true;
    };
    socket.on('error', markLost);
    socket.on('end', () => {
      markLost();
      socket.destroy();
    });
    socket.on('close', markLost);
    // The receiver sends nothing; reading keeps the stream flowing so that its FIN is seen.
    socket.resume();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => socket.destroy(new Error(`no TLS connection within ${timeoutMs} ms`)), timeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('close', () => {
        clearTimeout(timer);
        reject(new HubError('HUB_ERR_ALERT_DELIVERY', `${this.target}: the connection closed before TLS was set up`));
      });
      socket.once('error', (err: Error) => {
        clearTimeout(timer);
        reject(new HubError('HUB_ERR_ALERT_DELIVERY', `${this.target}: ${err.message}`, { cause: err }));
      });
    });
    this.lost = false;
    return socket;
  }

  private write(socket: TLSSocket, frame: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (why: string, cause?: unknown) => {
        clearTimeout(timer);
        this.lost = true;
        socket.destroy();
        reject(new HubError('HUB_ERR_ALERT_DELIVERY', `${this.target}: ${why}`, { cause }));
      };
      const timer = setTimeout(() => fail(`the receiver did not take the message within ${this.opts.timeoutMs} ms`), this.opts.timeoutMs);
      if (this.lost || socket.destroyed || !socket.writable) {
        fail('the connection was lost');
        return;
      }
      socket.write(frame, (err) => {
        if (err) fail(`the connection was lost while writing: ${err.message}`, err);
        else if (this.lost) fail('the connection was lost while writing');
        else {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
}
