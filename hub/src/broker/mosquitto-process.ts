/**
 * Runs Mosquitto on a directory written by writeMosquittoConfig, as a child of this process: for
 * tests, and for a hub that brings its own external broker. Started means the log says "running";
 * reloaded means the log says "Reloading config." after the SIGHUP, by which time Mosquitto has read
 * its CRL and certificates again (mosquitto(8), SIGNALS; the reload runs in the broker's one thread
 * before it reads another packet).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { MosquittoError } from './mosquitto-errors.js';
import { mosquittoLayout, readListener } from './mosquitto-layout.js';
import { logOffset, readLogLines, waitForLogLine } from './mosquitto-log.js';

export const mosquittoProcessDefaults = {
  binary: '/usr/sbin/mosquitto',
  startTimeoutMs: 10_000,
  reloadTimeoutMs: 5_000,
  stopTimeoutMs: 5_000,
  /** Lines of stderr and of the log quoted when Mosquitto fails to start. */
  quotedLines: 8,
} as const;

export interface MosquittoProcessOptions {
  binary?: string;
  startTimeoutMs?: number;
  log?: Logger;
}

export interface MosquittoProcess {
  host: string;
  port: number;
  pid: number;
  logFile: string;
  configFile: string;
  /** Sends SIGHUP and resolves once Mosquitto has read its configuration, CRL and certificates again. */
  reload(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it has exited. */
  stop(): Promise<void>;
}

const RUNNING = /mosquitto version \S+ running/;
const RELOADED = /Reloading config\./;

export async function startMosquitto(configDir: string, opts: MosquittoProcessOptions = {}): Promise<MosquittoProcess> {
  const layout = mosquittoLayout(configDir);
  const listener = readListener(await readFile(layout.configFile, 'utf8').catch(() => ''));
  if (!listener) throw new MosquittoError('HUB_ERR_MOSQUITTO_START', `${layout.configFile} is missing or has no listener: write it with writeMosquittoConfig first`);
  const binary = opts.binary ?? mosquittoProcessDefaults.binary;
  const from = await logOffset(layout.logFile);

  const child = spawn(binary, ['-c', layout.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      stderr += `${error.message}\n`;
      exited = true;
      resolve();
    });
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const running = await waitForLogLine(layout.logFile, from, RUNNING, opts.startTimeoutMs ?? mosquittoProcessDefaults.startTimeoutMs, () => exited);
  if (!running || exited || child.pid === undefined) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    const logTail = (await readLogLines(layout.logFile, from)).lines.slice(-mosquittoProcessDefaults.quotedLines);
    const said = [...stderr.trim().split('\n').slice(-mosquittoProcessDefaults.quotedLines), ...logTail].filter(Boolean).join(' | ');
    throw new MosquittoError(
      'HUB_ERR_MOSQUITTO_START',
      `${binary} -c ${layout.configFile}: ${said || 'no output'}. Check that port ${listener.port} is free and that Mosquitto's user can reach ${configDir}.`,
    );
  }
  const pid = child.pid;
  opts.log?.info({ pid, port: listener.port, logFile: layout.logFile }, 'mosquitto started');

  return {
    ...listener,
    pid,
    logFile: layout.logFile,
    configFile: layout.configFile,
    async reload() {
      const offset = await logOffset(layout.logFile);
      if (exited) throw new MosquittoError('HUB_ERR_MOSQUITTO_RELOAD', `mosquitto (pid ${pid}) is not running`);
      child.kill('SIGHUP');
      const line = await waitForLogLine(layout.logFile, offset, RELOADED, mosquittoProcessDefaults.reloadTimeoutMs, () => exited);
      if (!line) throw new MosquittoError('HUB_ERR_MOSQUITTO_RELOAD', `no "Reloading config." in ${layout.logFile} within ${mosquittoProcessDefaults.reloadTimeoutMs} ms of SIGHUP to pid ${pid}`);
      opts.log?.info({ pid }, 'mosquitto reloaded its configuration');
    },
    async stop() {
      process.off('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), mosquittoProcessDefaults.stopTimeoutMs);
      await exit;
      clearTimeout(timer);
      opts.log?.info({ pid }, 'mosquitto stopped');
    },
  };
}
