/** `wardsight bench`: benchmarks side by side with the tools people use today. */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive whole number: ${v}`);
  return n;
};

/** `--instances`: instance a runs the broker, b joins it; no more are started. */
const instanceCount = (v: string): number => {
  const n = count(v);
  if (n > 2) throw new Error(`--instances takes 1 or 2, not ${v}`);
  return n;
};

/** The repository root, from this file's place in cli/dist. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('Benchmarks, run side by side with peer tools on the same input');
  bench
    .command('edge')
    .description('Time the sensor pipeline and p0f, PRADS, tshark, ndpiReader and a bare libpcap read on one hospital mix')
    .option('--packets <n>', 'packets in the mix', count, 1_000_000)
    .option('--devices <n>', 'devices in the mix', count, 5000)
    .option('--shards <n>', 'shard worker threads for wardsight', count)
    .option('--runs <n>', 'runs per tool; the median is reported', count, 3)
    .option('--tools <list>', 'comma-separated tools to run (wardsight,prads,p0f,ndpiReader,tshark,floor)')
    .option('--scaling', 'instead: wardsight alone on 500, 5,000 and 50,000 devices with the same packet count')
    .option('--json', 'print one JSON object instead of a table')
    .action(async (o: { packets: number; devices: number; shards?: number; runs: number; tools?: string; scaling?: boolean; json?: boolean }) => {
      const { edgeJson, edgeTable, hasGnuTime, runEdgeBench, runScaling, scalingTable } = await import('@wardsight/bench');
      if (!hasGnuTime()) throw new Error('GNU time is needed to measure peak memory: apt-get install time (or run `make bench`)');
      const common = { repo: REPO, packets: o.packets, runs: o.runs, ...(o.shards ? { shards: o.shards } : {}) };
      if (o.scaling) {
        const s = await runScaling({ ...common, devices: [500, 5000, 50_000] });
        process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : `${scalingTable(s)}\n`);
        return;
      }
      const r = await runEdgeBench({ ...common, devices: o.devices, ...(o.tools ? { tools: o.tools.split(',').map((t) => t.trim()) } : {}) });
      process.stdout.write(o.json ? `${edgeJson(r)}\n` : `${edgeTable(r)}\n`);
    });
  bench
    .command('hub')
    .description('Observations per second from simulated sensors over MQTT/TLS into a hub of its own, beside the raw LevelDB batch-write rate')
    .option('--instances <n>', 'instead of one hub on its embedded broker and LevelDB: 1 or 2 hub instances on a private PostgreSQL, the first running Mosquitto, the second joining it', instanceCount)
    .option('--sensors <n>', 'simulated sensors, each enrolled with its own key and connected over MQTT/TLS', count, 1000)
    .option('--seconds <n>', 'seconds of publishing; the first quarter is warm-up', count, 20)
    .option('--batch <n>', 'observations per batch (at most 1,000)', count, 200)
    .option('--devices-per-sensor <n>', 'distinct devices each sensor reports on', count, 50)
    .option('--in-flight <n>', 'batches a sensor may have awaiting the hub\'s acknowledgement', count, 2)
    .option('--fleet-in-flight <n>', 'batches all sensors together may have awaiting acknowledgement', count, 256)
    .option('--processes <n>', 'processes the simulated sensors are spread over', count, 1)
    .option('--level-seconds <n>', 'seconds of raw LevelDB batch writes', count, 5)
    .option('--cpu-prof <dir>', 'run the hub under --cpu-prof, keep its profile in this directory and summarise where its time went')
    .option('--json', 'print one JSON object instead of a table')
    .action(async (o: { instances?: number; sensors: number; seconds: number; batch: number; devicesPerSensor: number; inFlight: number; fleetInFlight: number; processes: number; levelSeconds: number; cpuProf?: string; json?: boolean }) => {
      const { hubJson, hubTable, runHubBench } = await import('@wardsight/bench');
      const { mkdir } = await import('node:fs/promises');
      const { resolve } = await import('node:path');
      const cpuProfileDir = o.cpuProf === undefined ? undefined : resolve(o.cpuProf);
      if (cpuProfileDir) await mkdir(cpuProfileDir, { recursive: true });
      const r = await runHubBench({
        repo: REPO,
        sensors: o.sensors,
        seconds: o.seconds,
        batch: o.batch,
        devicesPerSensor: o.devicesPerSensor,
        inFlight: o.inFlight,
        fleetInFlight: o.fleetInFlight,
        processes: o.processes,
        levelSeconds: o.levelSeconds,
        ...(o.instances === undefined ? {} : { instances: o.instances }),
        ...(cpuProfileDir ? { cpuProfileDir } : {}),
      });
      process.stdout.write(o.json ? `${hubJson(r)}\n` : `${hubTable(r)}\n`);
    });
}
