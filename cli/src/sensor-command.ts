/** `wardsight sensor`: a floor sensor on a live interface or a pcap file. */
import { Option, type Command } from 'commander';
import type { SensorConfig } from '@wardsight/appliance';
import { createLogger } from './log.js';
import { untilSignal } from './signals.js';

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
}

async function configFrom(flags: SensorFlags): Promise<SensorConfig> {
  const { loadSensorConfig, parseSensorConfig } = await import('@wardsight/appliance');
  if (flags.config) return loadSensorConfig(flags.config);
  if (!flags.interface === !flags.pcap) throw new Error('give exactly one of --interface or --pcap (or --config)');
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

export function registerSensor(program: Command): void {
  program
    .command('sensor')
    .description('Run a sensor: capture with libpcap, identify devices, publish findings to the hub')
    .option('--config <file>', 'sensor.json (the other options are then ignored)')
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
    .action(async (flags: SensorFlags) => {
      const log = createLogger();
      const config = await configFrom(flags);
      const { startSensor } = await import('@wardsight/appliance');
      const sensor = await startSensor(config, log);
      if (flags.exitWhenDone && 'file' in config.capture) {
        await sensor.captureDone;
        await sensor.drained();
        await sensor.close();
        return;
      }
      await untilSignal(() => sensor.close());
    });
}
