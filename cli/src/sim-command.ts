/** `wardsight sim`: synthetic hospital traffic with ground truth. */
import type { Command } from 'commander';
import { writeHospital } from '@wardsight/sim';

export function registerSim(program: Command): void {
  const sim = program.command('sim').description('Make synthetic hospital traffic with ground truth');
  sim
    .command('hospital')
    .description('Write one pcap per floor of a small two-floor hospital and truth.json')
    .option('--out <dir>', 'output directory', 'sim-out')
    .option('--seed <n>', 'seed (same seed, same bytes)', (v) => Number.parseInt(v, 10), 1)
    .action(async (opts: { out: string; seed: number }) => {
      const written = await writeHospital(opts.out, { seed: opts.seed });
      for (const floor of written.floors) process.stdout.write(`floor ${floor.floor}: ${floor.path}\n`);
      process.stdout.write(`truth: ${written.truthPath}\n`);
    });
}
