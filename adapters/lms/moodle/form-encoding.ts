/**
 * Moodle's REST server reads PHP form variables: arrays and objects in bracket notation, zero-based
 * with no gaps (`users[0][username]=x`), booleans as 1/0. There is no way to send null or an empty
 * array, so those keys are left out.
 */
export type FormValue = string | number | boolean | null | undefined | FormValue[] | { [key: string]: FormValue };

export type FormPairs = [string, string][];

export function encodeForm(params: Record<string, FormValue>): FormPairs {
  const pairs: FormPairs = [];
  const walk = (key: string, value: FormValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(`${key}[${i}]`, v));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v);
    } else if (typeof value === 'boolean') {
      pairs.push([key, value ? '1' : '0']);
    } else {
      pairs.push([key, String(value)]);
    }
  };
  for (const [key, value] of Object.entries(params)) walk(key, value);
  return pairs;
}

export function toFormBody(pairs: FormPairs): string {
  return new URLSearchParams(pairs).toString();
}

/** How many form variables one array item costs (PHP's max_input_vars counts each pair). */
export function varsPerItem(item: FormValue): number {
  return encodeForm({ x: [item] }).length;
}
