/** `wardsight read`: a capture file through the whole edge pipeline, without a hub. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { profileRows, profileTable, type DeviceProfileRow } from './device-profiles.js';

/** The devices a read left in the store, each with its profile. */
async function deviceProfiles(dataDir: string): Promise<DeviceProfileRow[]> {
  const { SensorStore } = await import('@wardsight/edge-core');
  const store = await SensorStore.open(dataDir);
  try {
    return profileRows(await store.loadDevices());
  } finally {
    await store.close();
  }
}

export function registerRead(program: Command): void {
  program
    .command('read <capture>')
    .description('Read a pcap or pcapng file through the sensor pipeline (decode, fingerprint, store) without a hub')
    .option('--data-dir <dir>', 'keep the device table here (default: a temporary store, removed afterwards)')
    .option('--filter <bpf>', 'BPF filter')
    .option('--shards <n>', 'shard worker threads (default: one per core beyond the first)', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--speed <speed>', 'replay as fast as possible, or at the pace of the capture\'s timestamps').choices(['fast', 'recorded']).default('fast'))
    .option('--devices', 'also say what each device is (vendor, model, category, OS, software) by the rule library, with the facts behind it')
    .option('--json', 'print the summary as JSON')
    .action(async (capture: string, opts: { dataDir?: string; filter?: string; json?: boolean; devices?: boolean; shards?: number; speed: 'fast' | 'recorded' }) => {
      const { analyseCapture } = await import('@wardsight/edge-core/analyse');
      const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'wardsight-read-')));
      try {
        const summary = await analyseCapture({ kind: 'file', path: capture, ...(opts.filter ? { filter: opts.filter } : {}) }, dataDir, { replay: opts.speed, ...(opts.shards ? { shards: opts.shards } : {}) });
        const devices = opts.devices ? await deviceProfiles(dataDir) : undefined;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(devices ? { ...summary, profiles: devices } : summary)}\n`);
          return;
        }
        const pps = Math.round(summary.packets / summary.seconds);
        process.stdout.write(
          `${summary.packets} packets (${summary.malformed} malformed, ${summary.fragments} fragments), ${summary.devices} devices, ${summary.observations} findings in ${summary.seconds.toFixed(2)} s (${pps} packets/s)\n`,
        );
        if (devices) process.stdout.write(`${profileTable(devices)}\n`);
      } finally {
        if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
      }
    });
}
