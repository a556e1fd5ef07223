/** One logger per process: pino to standard error, so standard output stays for results (`--json`). */
import { pino, type Logger } from 'pino';

export function createLogger(level = process.env.WARDSIGHT_LOG ?? 'info'): Logger {
  return pino({ level, base: { pid: process.pid }, redact: ['key', 'password', '*.key', '*.password', 'tls.key'] }, pino.destination(2));
}
