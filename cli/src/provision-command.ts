/** `wardsight provision`: identities for sensors, signed by the hub's CA. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { hubDefaults } from '@wardsight/hub/config';

export interface SensorBundleRequest {
  hubDataDir: string;
  sensorId: string;
  outDir: string;
  hubUrl: string;
  site: string;
  floor: string;
  capture: { interface: string } | { file: string };
}

/** Writes a sensor's bundle: its identity in `tls/` and a `sensor.json` that points at it. */
export async function writeSensorBundle(req: SensorBundleRequest): Promise<string> {
  const outDir = resolve(req.outDir);
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const { issueSensorIdentity } = await import('@wardsight/provisioning');
  await issueSensorIdentity(req.hubDataDir, req.sensorId, join(outDir, 'tls'));
  const config = {
    sensorId: req.sensorId,
    hub: { url: req.hubUrl },
    tlsDir: 'tls',
    dataDir: 'data',
    location: { site: req.site, floor: req.floor },
    capture: req.capture,
  };
  const file = join(outDir, 'sensor.json');
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function registerProvision(program: Command): void {
  const provision = program.command('provision').description('Issue identities and configuration bundles for sensors');
  provision
    .command('sensor <sensorId>')
    .description('Issue a sensor certificate from the hub CA and write a configuration bundle (tls/ and sensor.json)')
    .option('--hub-data-dir <dir>', 'the hub data directory holding the CA', hubDefaults().dataDir)
    .option('--out <dir>', 'bundle directory (default: ./sensor-<id>)')
    .option('--hub-url <url>', 'broker address the sensor connects to', 'mqtts://127.0.0.1:8883')
    .option('--site <name>', 'site of the sensor', 'main')
    .requiredOption('--floor <floor>', 'floor the sensor watches')
    .option('--interface <name>', 'capture interface', 'eth0')
    .action(async (sensorId: string, opts: { hubDataDir: string; out?: string; hubUrl: string; site: string; floor: string; interface: string }) => {
      const file = await writeSensorBundle({
        hubDataDir: opts.hubDataDir,
        sensorId,
        outDir: opts.out ?? `sensor-${sensorId}`,
        hubUrl: opts.hubUrl,
        site: opts.site,
        floor: opts.floor,
        capture: { interface: opts.interface },
      });
      process.stdout.write(`sensor ${sensorId}: ${file}\nrun it with: wardsight sensor --config ${file}\n`);
    });
}
