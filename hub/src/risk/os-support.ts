/**
 * Operating systems past their maker's end of support, recognised in free text: a product name in
 * an advisory (`… used with Windows XP systems`) or the OS the inventory identified. Dates are the
 * makers' published end of extended support; a release still supported is never named here.
 */

interface EndOfSupport {
  name: string;
  /** ISO date the maker's extended support ended. */
  ended: string;
  words: RegExp;
}

const ENDED: EndOfSupport[] = [
  { name: 'Windows 2000', ended: '2010-07-13', words: /\bwindows\s*2000\b/i },
  { name: 'Windows XP', ended: '2014-04-08', words: /\bwindows\s*xp\b|\bxp\s*embedded\b/i },
  { name: 'Windows Vista', ended: '2017-04-11', words: /\bwindows\s*vista\b/i },
  { name: 'Windows 7', ended: '2020-01-14', words: /\bwindows\s*7\b|\bwin\s*7\b/i },
  { name: 'Windows 8', ended: '2016-01-12', words: /\bwindows\s*8(?!\.)\b/i },
  { name: 'Windows 8.1', ended: '2023-01-10', words: /\bwindows\s*8\.1\b/i },
  // The LTSC releases (IoT or not) have their own, later end of support.
  { name: 'Windows 10', ended: '2025-10-14', words: /\bwindows\s*10\b(?!\s*(?:iot\s*)?(?:enterprise\s*)?ltsc)/i },
  // `SQL Server 2008` names the database, not the operating system.
  { name: 'Windows Server 2003', ended: '2015-07-14', words: /(?<!\bsql\s*)\b(?:windows\s*)?server\s*2003\b/i },
  { name: 'Windows Server 2008', ended: '2020-01-14', words: /(?<!\bsql\s*)\b(?:windows\s*)?server\s*2008\b/i },
  { name: 'Windows Server 2012', ended: '2023-10-10', words: /(?<!\bsql\s*)\b(?:windows\s*)?server\s*2012\b/i },
  { name: 'Windows Embedded Standard 7', ended: '2020-10-13', words: /\bwindows\s*embedded\s*standard\s*7\b|\bwes\s*7\b/i },
  { name: 'Windows CE', ended: '2018-10-09', words: /\bwindows\s*ce\b|\bwince\b/i },
  { name: 'CentOS', ended: '2024-06-30', words: /\bcentos\b/i },
];

/** The unsupported OS the text names, or null. `at`: the day to judge support on (today by default). */
export function unsupportedOs(text: string, at: string = new Date().toISOString()): string | null {
  for (const os of ENDED) if (os.words.test(text) && os.ended <= at) return os.name;
  return null;
}
