/**
 * The error a sensor configuration is refused with. It lists every problem found, each with its
 * field and, when the configuration came from a file, its line and column; the first problem's
 * position is also on the error itself, for callers that show one place.
 */
import { ApplianceError } from './errors.js';
import { formatProblem, type ConfigProblem } from './config-problems.js';

export class ConfigError extends ApplianceError {
  declare readonly code: 'APPLIANCE_ERR_CONFIG';
  /** The file the configuration was read from, when there was one. */
  readonly file: string | undefined;
  readonly problems: readonly ConfigProblem[];

  constructor(message: string, details: { file?: string; problems?: ConfigProblem[]; cause?: unknown } = {}) {
    super('APPLIANCE_ERR_CONFIG', message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConfigError';
    this.file = details.file;
    this.problems = details.problems ?? [];
  }

  /** Refuses a configuration for its problems, one per line after a heading. */
  static fromProblems(problems: ConfigProblem[], file?: string): ConfigError {
    const heading = file ? `invalid sensor configuration in ${file}` : 'invalid sensor configuration';
    const lines = problems.map((p) => formatProblem(p, file));
    const message = lines.length === 1 ? `${heading}: ${lines[0] ?? ''}` : `${heading}:\n  ${lines.join('\n  ')}`;
    return new ConfigError(message, { ...(file ? { file } : {}), problems });
  }

  /** Line of the first problem (1-based), when known. */
  get line(): number | undefined {
    return this.problems[0]?.line;
  }

  get column(): number | undefined {
    return this.problems[0]?.column;
  }

  /** Dotted path of the first problem's field (`capture.bufferSizeMB`), when there is one. */
  get field(): string | undefined {
    return this.problems[0]?.field;
  }
}
