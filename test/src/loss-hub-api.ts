/**
 * The hub's HTTPS API from inside the hub's network namespace, for a test process that lives outside
 * it: one long-lived Node process in the namespace answers GET requests sent as JSON lines on its
 * standard input, with the hub's address and CA from `hub.json` and the analyst credential from the
 * data directory (as `wardsight devices` does). One process serves the whole test, across hub
 * restarts: while the hub is down a request fails with the connection's error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const hubApiDefaults = {
  /** A request unanswered after this fails (the hub's own client waits as long). */
  requestTimeoutMs: 10_000,
};

/** Runs in the namespace: line in `{id, path}`, line out `{id, status, body}` or `{id, error}`. */
const PROBE = `
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
const dataDir = process.argv[1];
const timeout = Number(process.argv[2]);
const agents = new Map();
async function get(path) {
  const endpoint = JSON.parse(await readFile(join(dataDir, 'hub.json'), 'utf8'));
  const credential = JSON.parse(await readFile(join(dataDir, 'admin-credential.json'), 'utf8'));
  const ca = await readFile(endpoint.caFile, 'utf8');
  let agent = agents.get(ca);
  if (!agent) agents.set(ca, (agent = new Agent({ ca, keepAlive: true })));
  const auth = Buffer.from(credential.username + ':' + credential.password).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, endpoint.apiUrl), { agent, timeout, headers: { authorization: 'Basic ' + auth, accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within ' + timeout + ' ms')));
    req.on('error', reject);
    req.end();
  });
}
for await (const line of createInterface({ input: process.stdin })) {
  const { id, path } = JSON.parse(line);
  get(path).then(
    (answer) => process.stdout.write(JSON.stringify({ id, ...answer }) + '\\n'),
    (err) => process.stdout.write(JSON.stringify({ id, error: err.message }) + '\\n'),
  );
}
`;

interface Answer {
  id: number;
  status?: number;
  body?: unknown;
  error?: string;
}

export class HubApi {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private nextId = 1;

  constructor(ns: string, dataDir: string) {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--input-type=module', '-e', PROBE, dataDir, String(hubApiDefaults.requestTimeoutMs)], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdin?.on('error', () => undefined);
    const lines = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
  }

  /** GET `path`; rejects when the hub is unreachable or answers other than 2xx. */
  async get<T>(path: string): Promise<T> {
    const id = this.nextId++;
    const answer = await new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => resolve({ id, error: `no answer from the probe within ${hubApiDefaults.requestTimeoutMs * 2} ms` }), hubApiDefaults.requestTimeoutMs * 2);
      this.waiting.set(id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      this.child.stdin?.write(`${JSON.stringify({ id, path })}\n`);
    });
    if (answer.error !== undefined) throw new Error(`GET ${path}: ${answer.error}`);
    if (answer.status === undefined || answer.status < 200 || answer.status >= 300) throw new Error(`GET ${path}: HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body as T;
  }

  close(): void {
    this.child.stdin?.end();
    this.child.kill('SIGTERM');
  }
}
