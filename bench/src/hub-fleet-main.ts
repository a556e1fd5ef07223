/**
 * Entry point of a sensor fleet process, forked by the hub benchmark: takes its plan over the IPC
 * channel, answers `ready`, then follows `go`, `mark`, `drain` and `stop`. Any failure is sent back with its
 * code and the process exits, so the benchmark never waits on a fleet that is gone.
 */
import { Fleet } from './hub-fleet.js';
import type { FromFleet, ToFleet } from './hub-fleet-messages.js';

function send(message: FromFleet): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function fail(err: unknown): Promise<never> {
  const code = (err as { code?: unknown }).code;
  await send({ type: 'failed', code: typeof code === 'string' ? code : 'BENCH_ERR_HUB_FLEET', message: (err as Error).message ?? String(err) });
  process.exit(1);
}

let fleet: Fleet | undefined;

async function handle(message: ToFleet): Promise<void> {
  switch (message.type) {
    case 'plan': {
      const prepared = await Fleet.prepare(message.plan);
      fleet = prepared.fleet;
      await send({ type: 'ready', ready: prepared.ready });
      return;
    }
    case 'go':
      fleet?.go();
      return;
    case 'mark':
      if (fleet) await send({ type: 'counters', counters: fleet.mark() });
      return;
    case 'drain':
      if (fleet) await send({ type: 'drained', waiting: await fleet.drain(message.ms) });
      return;
    case 'stop': {
      if (!fleet) return;
      await send({ type: 'result', result: await fleet.stop() });
      process.disconnect();
      return;
    }
  }
}

if (!process.send) {
  process.stderr.write('this is a sensor fleet process of `wardsight bench hub`; it is started by the benchmark, not by hand\n');
  process.exit(2);
}
process.on('message', (message: ToFleet) => {
  handle(message).catch(fail);
});
// The benchmark went away: nothing is left to report to.
process.on('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
