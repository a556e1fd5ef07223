/**
 * A real PostgreSQL server for tests: the launcher the hub benchmark uses for its shared-store runs
 * (bench/src/postgres-server.ts), offered here beside the rest of the test harness.
 */
export { postgresAvailable, startPostgres, type PostgresOptions, type PostgresServer } from '@wardsight/bench';
