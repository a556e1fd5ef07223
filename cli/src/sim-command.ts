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
  const scenario = sim.command('scenario').description('Simulated days with ground truth, for scoring what the hub finds');
  scenario
    .command('day')
    .description('Write 24 hours on three floors (one pcap per floor sensor) with moves and injected anomalies, and truth.json')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .option('--seed <n>', 'seed (same seed, same bytes)', integer, 1)
    .option('--eval', 'then replay it through real sensors into a fresh hub and score moves, anomalies and false alerts')
    .option('--json', 'with --eval: print the score as one JSON object')
    .option('--keep <dir>', 'with --eval: run the hub and sensors in this directory and leave it there (store, alerts) to look at')
    .action(async (opts: { out: string; seed: number; eval?: boolean; json?: boolean; keep?: string }) => {
      const { scenarioSummary, writeScenarioDay } = await import('@wardsight/sim');
      const written = await writeScenarioDay(opts.out, { seed: opts.seed });
      if (!opts.eval) {
        process.stdout.write(scenarioSummary(written));
        return;
      }
      const [{ evaluateScenario }, { scoreText }, { createLogger }] = await Promise.all([import('./scenario-eval.js'), import('./scenario-score.js'), import('./log.js')]);
      const score = await evaluateScenario(opts.out, createLogger(process.env.WARDSIGHT_LOG ?? 'warn'), opts.keep ? { keep: opts.keep } : {});
      process.stdout.write(opts.json ? `${JSON.stringify(score)}\n` : `${scoreText(score)}\n`);
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
