/**
 * The field delimiter, read from the header line. Excel writes `;` instead of `,` where the decimal
 * separator is a comma (a school's PC with a European locale), and "Unicode text" exports use tabs.
 * The header is the best evidence: it has no free text, so the candidate that occurs most outside
 * quotes wins; with none at all (a one-column file) the answer is the comma.
 */
export type Delimiter = ',' | ';' | '\t';

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t'];

export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) break;
    else if (!quoted && CANDIDATES.includes(char as Delimiter)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const candidate of CANDIDATES) if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  return best;
}
