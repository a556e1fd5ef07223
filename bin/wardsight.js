#!/usr/bin/env node
// Entry point of the `wardsight` command; the code lives in the cli workspace (built by `make build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../cli/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('wardsight: not built yet; run `make build` in the repository first');
  process.exit(2);
}
const { main } = await import(entry.href);
const code = await main(process.argv);
// A closed libpcap live session keeps its poll handle until one more packet arrives, which on an
// idle interface may be never: once a command is done, flush standard output and exit.
process.stdout.write('', () => process.exit(code));
