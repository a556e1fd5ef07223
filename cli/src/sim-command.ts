/** `wardsight sim`: synthetic hospital traffic with ground truth, to a file or onto an interface. */
import type { Command } from 'commander';

const integer = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${v}`);
  return n;
};

export function registerSim(program: Command): void {
  const sim = program.command('sim').description('Make synthetic hospital traffic with ground truth');
  sim
    .command('hospital')
    .description('Write one pcap per floor of a small two-floor hospital and its truth.json')
    .option('--out <dir>', 'output directory', 'sim-out')
    .option('--seed <n>', 'seed (same seed, same bytes)', integer, 1)
    .action(async (opts: { out: string; seed: number }) => {
      const { writeHospital } = await import('@wardsight/sim');
      const written = await writeHospital(opts.out, { seed: opts.seed });
      for (const floor of written.pcaps) process.stdout.write(`floor ${floor.floor}: ${floor.path}\n`);
      process.stdout.write(`truth: ${written.truth}\n`);
    });
  sim
    .command('inject')
    .description('Send onto an interface what the devices of one floor say when they join: DHCP through the router, ARP')
    .requiredOption('--interface <name>', 'interface to send on (use a test veth, never a production network)')
    .option('--floor <floor>', 'floor of the simulated hospital whose devices join', '1')
    .option('--seed <n>', 'simulation seed', integer, 1)
    .option('--gap-ms <ms>', 'pause between frames', integer, 2)
    .action(async (opts: { interface: string; floor: string; seed: number; gapMs: number }) => {
      const { buildHospital, injectFrames, joinFrames } = await import('@wardsight/sim');
      const hospital = buildHospital({ seed: opts.seed, sessionsPerDevice: 0 });
      const gateway = hospital.infrastructure.find((g) => g.floor === opts.floor);
      if (!gateway) throw new Error(`the simulated hospital has no floor ${opts.floor}`);
      const devices = hospital.devices.filter((d) => d.floor === opts.floor);
      const frames = devices.flatMap((d) => joinFrames(d, gateway, 0).map((f) => f.frame));
      const sent = await injectFrames(opts.interface, frames, { gapMs: opts.gapMs });
      process.stdout.write(`${sent} frames sent on ${opts.interface} for ${devices.length} devices of floor ${opts.floor}\n`);
    });
}
