/**
 * Secret redaction. The harness types secret values into the page; a page may echo them back
 * (a debug banner, a URL after a GET form). Everything that leaves the harness — model input,
 * events, steps, results, logs — goes through the redactor first.
 */

export type Redactor = (text: string) => string;

/**
 * Builds a redactor that replaces each secret value, and its URL- and JSON-encoded forms, with
 * `[secret NAME]`. Longer values are replaced first so one secret containing another is fully hidden.
 */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const forms: { value: string; label: string }[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (!value) continue;
    const label = `[secret ${name}]`;
    const variants = new Set([
      value,
      encodeURIComponent(value),
      encodeURIComponent(value).replace(/%20/g, '+'),
      JSON.stringify(value).slice(1, -1),
    ]);
    for (const v of variants) if (v) forms.push({ value: v, label });
  }
  forms.sort((a, b) => b.value.length - a.value.length);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const { value, label } of forms) out = out.split(value).join(label);
    return out;
  };
}

/** Applies a redactor to every string inside a JSON-like value (for tool inputs echoed in steps). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
