/** Durations on the command line: a whole number and a unit (`30m`, `12h`, `7d`, `2w`). */
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

/**
 * A commander option parser for `flag` taking the given units; a bare number counts in `bare`
 * when given (e.g. minutes), and is refused otherwise. The value is in milliseconds.
 */
export function durationOption(flag: string, units: readonly Unit[], bare?: Unit): (value: string) => number {
  const examples = units.map((u) => `${u === 'm' ? 30 : u === 'h' ? 12 : u === 'd' ? 7 : 2}${u}`).join(', ');
  return (value) => {
    const match = /^(\d+)\s*([a-z]?)$/.exec(value.trim());
    const unit = (match?.[2] || bare) as Unit | undefined;
    if (!match || unit === undefined || !units.includes(unit) || Number(match[1]) < 1) throw new Error(`${flag} takes a duration such as ${examples}, not ${JSON.stringify(value)}`);
    return Number(match[1]) * UNIT_MS[unit];
  };
}
