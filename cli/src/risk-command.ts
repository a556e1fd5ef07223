/**
 * `wardsight vulns`, `wardsight risk`, `wardsight models` and `wardsight suppliers`: what to fix
 * first on this network, the analyst's word on matches, a model's pre-purchase assessment and the
 * makers' scorecards — all asked of the local hub — and the offline evaluation of CSAF matching.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluateCsaf, formatEvaluation } from '@wardsight/vulns';
import { hubDefaults } from '@wardsight/hub/config';
import { durationOption } from './durations.js';
import { hubRequest } from './hub-client.js';
import { assessmentText, entryLines, priorityTable, scorecardTable, type Assessment, type RiskEntry, type Scorecard } from './risk-text.js';

const dataDirOption = (c: Command): Command => c.option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir);
const print = (value: unknown, json: boolean | undefined, text: () => string): void => {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
};

export function registerRisk(program: Command): void {
  const vulns = program.command('vulns').description('Vulnerability matching: evaluation, and the analyst\'s decisions on matches');

  vulns
    .command('eval-csaf <dir>')
    .description('For every CSAF advisory in DIR and every known-affected product with a version range, match a device at an affected and at a fixed version; print precision and recall')
    .option('--json', 'print {"precision", "recall", "cases", "misses": […]} instead of text')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const evaluation = await evaluateCsaf(dir);
      print(evaluation, opts.json, () => formatEvaluation(evaluation));
    });

  dataDirOption(
    vulns
      .command('decide <vulnerability> <decision>')
      .description('Confirm, reject or suppress a vulnerability for every unit of a model (decision: confirm | reject | suppress)')
      .requiredOption('--vendor <vendor>', 'the model\'s maker, as the inventory names it')
      .requiredOption('--model <model>', 'the model, as the inventory names it')
      .option('--for <duration>', 'a suppression\'s length (e.g. 30d, 12h); required for suppress', durationOption('--for', ['h', 'd', 'w']))
      .option('--note <text>', 'why'),
  ).action(async (vulnerability: string, word: string, opts: { vendor: string; model: string; for?: number; note?: string; dataDir: string }) => {
    const decision = ({ confirm: 'confirmed', reject: 'rejected', suppress: 'suppressed' } as Record<string, string>)[word];
    if (!decision) throw new Error(`the decision is confirm, reject or suppress, not "${word}"`);
    if (decision === 'suppressed' && !opts.for) throw new Error('a suppression needs --for, how long it lasts (e.g. 30d)');
    const body: Record<string, string> = { vulnerability, vendor: opts.vendor, model: opts.model, decision };
    if (opts.note) body.note = opts.note;
    if (opts.for) body.until = new Date(Date.now() + opts.for).toISOString();
    const saved = await hubRequest<{ decision: string; until?: string }>(opts.dataDir, 'POST', '/api/v1/vulns/decisions', body);
    process.stdout.write(`${vulnerability} on ${opts.vendor} ${opts.model}: ${saved.decision}${saved.until ? ` until ${saved.until}` : ''}\n`);
  });

  dataDirOption(
    vulns
      .command('rubric <vulnerability>')
      .description('Record the MITRE medical-device rubric answers for a vulnerability on a model; prints the CVSS vector they yield')
      .requiredOption('--vendor <vendor>', 'the model\'s maker')
      .requiredOption('--model <model>', 'the model')
      .requiredOption('--answers <file>', 'the answers (JSON)'),
  ).action(async (vulnerability: string, opts: { vendor: string; model: string; answers: string; dataDir: string }) => {
    const answers = JSON.parse(await readFile(opts.answers, 'utf8')) as unknown;
    const saved = await hubRequest<{ vector: string; score: number; derivation: { metric: string; value: string; because: string }[] }>(opts.dataDir, 'PUT', `/api/v1/vulns/${encodeURIComponent(vulnerability)}/rubric`, { vendor: opts.vendor, model: opts.model, answers });
    process.stdout.write(`${saved.vector} (${saved.score})\n${saved.derivation.map((d) => `  ${d.metric}:${d.value}  ${d.because}`).join('\n')}\n`);
  });

  dataDirOption(vulns.command('sbom [serial]').description('The SBOMs the hub holds, or one SBOM\'s components matched against the library').option('--json', 'print JSON')).action(
    async (serial: string | undefined, opts: { dataDir: string; json?: boolean }) => {
      if (!serial) {
        const { sboms } = await hubRequest<{ sboms: { serial: string; subject: string; components: number }[] }>(opts.dataDir, 'GET', '/api/v1/sboms');
        print(sboms, opts.json, () => (sboms.length ? sboms.map((s) => `${s.serial}  ${s.subject}  ${s.components} components`).join('\n') : 'no SBOM imported'));
        return;
      }
      const result = await hubRequest<{ components: number; matches: { component: { name: string; version?: string }; vulnerability: string; kind: string; reason: { text: string } }[] }>(opts.dataDir, 'GET', `/api/v1/sboms/${encodeURIComponent(serial)}/matches`);
      print(result, opts.json, () => [`${result.matches.length} matches over ${result.components} components`, ...result.matches.map((m) => `${m.kind.padEnd(9)} ${m.vulnerability}  ${m.component.name} ${m.component.version ?? ''}\n          ${m.reason.text}`)].join('\n'));
    },
  );

  const risk = program.command('risk').description('What to fix first on this network');
  dataDirOption(
    risk
      .command('priorities')
      .description('The fleet\'s priority list: each vulnerability on each device, highest risk first')
      .option('--limit <n>', 'at most this many entries', '50')
      .option('--reach <reach>', 'only entries with this reach: internet | reachable | segment-only | no-path | unknown')
      .option('--json', 'print JSON'),
  ).action(async (opts: { dataDir: string; limit: string; reach?: string; json?: boolean }) => {
    const query = new URLSearchParams({ limit: opts.limit, ...(opts.reach ? { reach: opts.reach } : {}) });
    const result = await hubRequest<{ entries: RiskEntry[]; total: number }>(opts.dataDir, 'GET', `/api/v1/risk/priorities?${query.toString()}`);
    print(result, opts.json, () => priorityTable(result.entries, result.total));
  });
  dataDirOption(risk.command('device <id>').description('One device\'s risk: every entry with its reasons and what to do').option('--json', 'print JSON')).action(
    async (id: string, opts: { dataDir: string; json?: boolean }) => {
      const result = await hubRequest<{ score: number; entries: RiskEntry[]; rejected: RiskEntry[] }>(opts.dataDir, 'GET', `/api/v1/devices/${encodeURIComponent(id)}/risk`);
      print(result, opts.json, () => [`${id}: risk ${result.score}`, ...result.entries.flatMap(entryLines), ...(result.rejected.length ? [`rejected: ${result.rejected.map((e) => e.vulnerability).join(', ')}`] : [])].join('\n'));
    },
  );

  const models = program.command('models').description('Device models: the pre-purchase assessment');
  dataDirOption(models.command('assess <vendor> <model>').description('A model\'s risk before it is bought: vulnerabilities, the maker\'s record, behaviour of deployed units').option('--json', 'print JSON')).action(
    async (vendor: string, model: string, opts: { dataDir: string; json?: boolean }) => {
      const result = await hubRequest<Assessment>(opts.dataDir, 'GET', `/api/v1/models/${encodeURIComponent(vendor)}/${encodeURIComponent(model)}/assessment`);
      print(result, opts.json, () => assessmentText(result));
    },
  );

  dataDirOption(program.command('suppliers').description('A security scorecard for every maker in the inventory').option('--json', 'print JSON')).action(async (opts: { dataDir: string; json?: boolean }) => {
    const result = await hubRequest<{ suppliers: Scorecard[] }>(opts.dataDir, 'GET', '/api/v1/suppliers');
    print(result, opts.json, () => scorecardTable(result.suppliers));
  });
}
