/**
 * How PHP turns a query string or an application/x-www-form-urlencoded body into $_GET / $_POST, which is
 * what Moodle's REST server reads (array_merge($_GET, $_POST)). Written here so the simulator does not
 * depend on a query-string library whose rules differ from PHP's.
 */

/** A PHP array: ordered, string keys (integer-like keys are kept in their canonical decimal form). */
export type PhpArray = Map<string, PhpValue>;
export type PhpValue = string | PhpArray;

export interface DecodedInput {
  vars: PhpArray;
  /** Pairs present in the input but dropped because of max_input_vars. */
  dropped: number;
}

/**
 * PHP's urldecode: '+' is a space, %XX a byte, a malformed escape stays as written. The input is a byte
 * string (one char per byte, as Node reads a body or URL as latin1); the result is decoded as UTF-8.
 */
export function phpUrlDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '+') bytes.push(0x20);
    else if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Splits and decodes the pairs, keeping only as many as PHP would. PHP registers at most max_input_vars
 * variables from the query string, but max_input_vars + 1 from a POST body (php_variables.c counts after
 * adding): perf_and_max_input_vars.json saw 5001 of 12003 body variables arrive with the limit at 5000.
 */
export function decodeForm(text: string, maxInputVars: number, source: 'get' | 'post'): DecodedInput {
  const chunks = text.split('&').filter((c) => c !== '');
  const limit = source === 'post' ? maxInputVars + 1 : maxInputVars;
  const kept = chunks.slice(0, limit);
  const vars: PhpArray = new Map();
  for (const chunk of kept) {
    const eq = chunk.indexOf('=');
    const name = phpUrlDecode(eq === -1 ? chunk : chunk.slice(0, eq));
    const value = eq === -1 ? '' : phpUrlDecode(chunk.slice(eq + 1));
    registerVariable(vars, name, value);
  }
  return { vars, dropped: chunks.length - kept.length };
}

/** Canonical PHP array key: "5" becomes integer 5, "05" stays a string; both stored as strings here. */
function isIntegerKey(key: string): boolean {
  return /^(0|-?[1-9][0-9]*)$/.test(key) && Number.isSafeInteger(Number(key));
}

function nextIndex(array: PhpArray): string {
  let max = -1;
  for (const key of array.keys()) if (isIntegerKey(key)) max = Math.max(max, Number(key));
  return String(max + 1);
}

/** php_register_variable_ex: `users[0][username]` creates nested arrays; `a[]` appends. */
export function registerVariable(target: PhpArray, rawName: string, value: string): void {
  let name = rawName.replace(/^ +/, '');
  const open = name.indexOf('[');
  let base = open === -1 ? name : name.slice(0, open);
  let rest = open === -1 ? '' : name.slice(open);
  // PHP turns spaces and dots in the base name into underscores, and an unmatched '[' into '_' too.
  if (rest !== '' && !rest.includes(']')) {
    base = base + '_' + rest.slice(1);
    rest = '';
  }
  base = base.replace(/[ .]/g, '_');
  name = base;
  if (name === '') return;

  const indexes: string[] = [];
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) break;
    indexes.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }

  if (indexes.length === 0) {
    target.set(name, value);
    return;
  }
  let container = target;
  let key = name;
  for (const index of indexes) {
    let child = container.get(key);
    if (!(child instanceof Map)) {
      child = new Map();
      container.set(key, child);
    }
    container = child;
    key = index === '' ? nextIndex(container) : index;
  }
  container.set(key, value);
}

/** array_merge($_GET, $_POST) on string keys: POST wins, one level deep only. */
export function mergeGetAndPost(get: PhpArray, post: PhpArray): PhpArray {
  const merged: PhpArray = new Map(get);
  for (const [key, value] of post) merged.set(key, value);
  return merged;
}
