/**
 * `wardsight sensor`: a floor sensor on a live interface or a pcap file. Under systemd (a Type=notify
 * unit, see `wardsight appliance install`) it says READY=1 once capturing, pings the watchdog from its
 * main loop, keeps a one-line STATUS= and says STOPPING=1 when it shuts down (sd_notify(3)). While it
 * starts — a first boot may wait long to enrol with a hub that is not up yet — it extends the start
 * timeout (EXTEND_TIMEOUT_USEC=) and says why in STATUS=; SIGTERM or SIGINT then stops it cleanly.
 * A version on trial after an update confirms itself once healthy, or rolls itself back and exits
 * so that the service manager restarts the previous version (appliance trial-run.ts). Exit statuses
 * the unit acts on: appliance install-exit-status.ts.
 */
import { access } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import type { RunningSensor, SensorConfig, SystemdNotifier } from '@wardsight/appliance';
import { createLogger } from './log.js';
import { untilSignal } from './signals.js';

export const sensorStartDefaults = {
  /** How often a start still in progress tells systemd it is alive. */
  keepAliveEveryMs: 20_000,
  /** How much more time each of those asks for (well over the interval, so one lost datagram is harmless). */
  extendByMs: 60_000,
} as const;

interface SensorFlags {
  config?: string;
  id?: string;
  hub?: string;
  tlsDir?: string;
  dataDir?: string;
  interface?: string;
  pcap?: string;
  filter?: string;
  speed?: 'fast' | 'recorded';
  site: string;
  building?: string;
  floor?: string;
  exitWhenDone?: boolean;
  updateRoot?: string;
}

async function configFrom(flags: SensorFlags): Promise<SensorConfig> {
  const { loadSensorConfig, parseSensorConfig, DEFAULT_CONFIG_PATH } = await import('@wardsight/appliance');
  if (flags.config) return loadSensorConfig(flags.config);
  // Nothing on the command line: the installed sensor's own configuration.
  if (!flags.interface && !flags.pcap) {
    const { access } = await import('node:fs/promises');
    await access(DEFAULT_CONFIG_PATH).catch(() => {
      throw new Error(`no configuration: ${DEFAULT_CONFIG_PATH} does not exist; give --config <file>, or --interface or --pcap with --id, --hub and --tls-dir`);
    });
    return loadSensorConfig(DEFAULT_CONFIG_PATH);
  }
  if (flags.interface && flags.pcap) throw new Error('give exactly one of --interface or --pcap (or --config)');
  if (flags.speed && !flags.pcap) throw new Error('--speed applies to --pcap only');
  const filter = flags.filter ? { filter: flags.filter } : {};
  const capture = flags.interface ? { interface: flags.interface, ...filter } : { file: flags.pcap ?? '', ...filter, ...(flags.speed ? { speed: flags.speed } : {}) };
  return parseSensorConfig({
    sensorId: flags.id,
    hub: { url: flags.hub },
    tlsDir: flags.tlsDir,
    dataDir: flags.dataDir ?? `sensor-${flags.id ?? ''}-data`,
    location: { site: flags.site, floor: flags.floor, ...(flags.building ? { building: flags.building } : {}) },
    capture,
  });
}

/** One line for `systemctl status`: what is captured and how it goes. */
function summary(config: SensorConfig, sensor: RunningSensor | undefined): string {
  const source = 'interface' in config.capture ? `capturing on ${config.capture.interface}` : `reading ${basename(config.capture.file)}`;
  if (!sensor) return `starting: ${source}`;
  const c = sensor.counters();
  return `${source}: ${c.packets} packets, ${c.devices} devices, ${c.queueDrops + c.libpcap.dropped} dropped, ${c.restarts} worker restarts`;
}

/** Prints `message` as the command line prints errors and ends the command with exit status `status`. */
function exitWith(status: number, message: string, code?: string): never {
  process.stderr.write(`wardsight: ${message}${code ? ` [${code}]` : ''}\n`);
  throw new CommanderError(status, code ?? 'wardsight.sensor.exit', message);
}

/** Until stopped: STATUS= and EXTEND_TIMEOUT_USEC= now and every `keepAliveEveryMs`, so systemd waits for a slow start. */
function keepStartAlive(notifier: SystemdNotifier, status: () => string, statusLine: (text: string) => string): () => void {
  const tell = () => void notifier.notify({ STATUS: statusLine(status()), EXTEND_TIMEOUT_USEC: String(sensorStartDefaults.extendByMs * 1000) });
  tell();
  const timer = setInterval(tell, sensorStartDefaults.keepAliveEveryMs);
  return () => clearInterval(timer);
}

/** SIGTERM / SIGINT while starting: aborts the start (a second one ends the process at once). */
function stopWhileStarting(controller: AbortController, log: { warn(details: object, message: string): void }): { signal: () => NodeJS.Signals | undefined; dispose: () => void } {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + constants.signals[signal]);
    received = signal;
    log.warn({ signal }, 'stopping while the sensor is still starting');
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: () => received,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

const never = new Promise<never>(() => undefined);

/** Runs the sensor with the service manager told of each stage; resolves once it has shut down. */
async function runSensor(config: SensorConfig, flags: SensorFlags): Promise<void> {
  const log = createLogger();
  const appliance = await import('@wardsight/appliance');
  const { EnrolmentRefused, sensorExitStatus, startStoppedBy } = appliance;
  const notifier = new appliance.SystemdNotifier(process.env, log);
  let sensor: RunningSensor | undefined = undefined;
  // Pings start with the process (systemd only heeds them after READY=1; TimeoutStartSec= bounds the start).
  const watchdog = new appliance.Watchdog(notifier, { log, enabled: appliance.runtimeSettings(config).watchdogEnabled, summary: () => summary(config, sensor) });
  watchdog.start();

  // The trial of a new version is judged from now: a version that never gets as far as running is rolled back at its deadline too.
  const version = appliance.sensorVersion();
  const trialStop = new AbortController();
  let started: (running: RunningSensor) => void = () => undefined;
  const startedSensor = new Promise<RunningSensor>((resolve) => (started = resolve));
  const trial = appliance.runTrial({ root: await appliance.findUpdateRoot(flags.updateRoot), version, sensor: startedSensor, signal: trialStop.signal, log });
  const rolledBack = trial.then((outcome) => (outcome?.kind === 'rolled-back' ? outcome : undefined));
  const rollbackExit = (reason: string): never =>
    exitWith(sensorExitStatus.trialRolledBack, `version ${version} was rolled back (${reason}); exiting so that the service manager starts the previous version`);

  const start = new AbortController();
  void rolledBack.then((outcome) => outcome && start.abort());
  const stops = stopWhileStarting(start, log);
  const enrolling = !(await access(appliance.tlsFiles(config).cert).then(() => true, () => false));
  const since = Date.now();
  const startingStatus = () =>
    enrolling && config.hub.enrolUrl ? `starting: enrolling with the hub at ${config.hub.enrolUrl} (${Math.round((Date.now() - since) / 1000)} s so far)` : summary(config, undefined);
  const stopKeepAlive = keepStartAlive(notifier, startingStatus, appliance.statusLine);
  /** The start ended without a running sensor, or was asked to stop: says why and exits. */
  const startEnded = async (err: unknown): Promise<never> => {
    stopKeepAlive();
    stops.dispose();
    trialStop.abort();
    const outcome = await rolledBack;
    watchdog.stop();
    if (outcome?.kind === 'rolled-back') return rollbackExit(outcome.reason);
    const signal = stops.signal();
    if (signal) {
      await notifier.status(`stopped by ${signal} while starting`);
      return exitWith(startStoppedBy(signal), `stopped by ${signal} while starting${enrolling ? ' (enrolment was waiting for the hub)' : ''}; nothing was left half done`);
    }
    if (err instanceof EnrolmentRefused) {
      await notifier.status(`enrolment refused: ${err.message}`);
      return exitWith(sensorExitStatus.enrolmentRefused, `${err.message}; the service is not restarted for this: install a new config bundle from \`wardsight provision sensor\` and start it again`, err.code);
    }
    await notifier.status(`failed to start: ${(err as Error).message}`);
    throw err;
  };

  let running: RunningSensor;
  try {
    running = await appliance.startSensor(config, log, { signal: start.signal });
  } catch (err) {
    return startEnded(err);
  }
  if (start.signal.aborted) {
    // Stopped as the start finished: close what was started, then exit as a stopped start does.
    await running.close();
    return startEnded(undefined);
  }
  stopKeepAlive();
  stops.dispose();
  sensor = running;
  started(running);
  await notifier.ready(summary(config, running));
  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      trialStop.abort();
      await notifier.stopping(`stopping: ${summary(config, running)}`);
      try {
        await running.close();
      } finally {
        watchdog.stop();
      }
    })());
  const finished =
    flags.exitWhenDone && 'file' in config.capture
      ? (async () => {
          await running.captureDone;
          await running.drained();
          // A version on trial gives its verdict before it exits (at the latest at the trial's deadline).
          await trial;
        })()
      : untilSignal(shutdown);
  let outcome: Awaited<typeof rolledBack>;
  try {
    outcome = await Promise.race([finished.then(() => undefined), rolledBack.then((o) => o ?? never)]);
  } finally {
    await shutdown();
  }
  if (outcome) rollbackExit(outcome.reason);
}

export function registerSensor(program: Command): void {
  program
    .command('sensor')
    .description('Run a sensor: capture with libpcap, identify devices, publish findings to the hub')
    .option('--config <file>', 'configuration file, YAML or JSON (default without --interface or --pcap: /etc/wardsight/wardsight.yaml); the other options are then ignored')
    .option('--id <sensorId>', 'this sensor\'s id (the CN of its certificate)')
    .option('--hub <url>', 'hub broker, mqtts://host:port')
    .option('--tls-dir <dir>', 'folder with sensor.crt, sensor.key and ca.crt')
    .option('--data-dir <dir>', 'where the sensor keeps its store')
    .option('--interface <name>', 'capture live on this interface (mirror/SPAN port)')
    .option('--pcap <file>', 'read this pcap or pcapng file instead of a live interface')
    .option('--filter <bpf>', 'BPF capture filter')
    .addOption(new Option('--speed <speed>', 'with --pcap: replay as fast as possible, or at the pace of its timestamps').choices(['fast', 'recorded']))
    .option('--site <name>', 'site name for the location', 'main')
    .option('--building <name>', 'building for the location')
    .option('--floor <floor>', 'floor this sensor watches')
    .option('--exit-when-done', 'with --pcap: exit once the file is read and every finding is acknowledged')
    .option('--update-root <dir>', 'install root of signed updates, where a new version on trial confirms itself (default: $WARDSIGHT_UPDATE_ROOT, else /opt/wardsight if it exists)')
    .action(async (flags: SensorFlags) => {
      await runSensor(await configFrom(flags), flags);
    });
}
