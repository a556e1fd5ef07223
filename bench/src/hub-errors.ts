/** Stable error codes of the hub benchmark, each with a message a person can act on. A code is never reused. */

export const HUB_BENCH_ERRORS = {
  BENCH_ERR_HUB_OPTIONS: 'The hub benchmark options are out of bounds',
  BENCH_ERR_HUB_NOT_BUILT: 'The repository is not built: run `make build` (or `npx tsc --build`) first',
  BENCH_ERR_HUB_START: 'The hub did not start',
  BENCH_ERR_HUB_API: 'The hub API refused or failed a request',
  BENCH_ERR_HUB_ENROL: 'A simulated sensor could not enrol at the hub',
  BENCH_ERR_HUB_CONNECT: 'A simulated sensor could not connect to the hub broker',
  BENCH_ERR_HUB_FLEET: 'A sensor fleet process failed',
  BENCH_ERR_HUB_STOP: 'The hub did not stop cleanly',
  BENCH_ERR_HUB_INSTANCES: 'Hub instances on a shared store need the PostgreSQL server (Debian package postgresql) and Mosquitto (Debian package mosquitto)',
} as const;
export type HubBenchErrorCode = keyof typeof HUB_BENCH_ERRORS;

export class HubBenchError extends Error {
  readonly code: HubBenchErrorCode;
  constructor(code: HubBenchErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${HUB_BENCH_ERRORS[code]}: ${detail}` : HUB_BENCH_ERRORS[code], options);
    this.name = 'HubBenchError';
    this.code = code;
  }
}
