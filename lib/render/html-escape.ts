const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/;

/**
 * Escapes text for HTML text content and double- or single-quoted attribute
 * values, as Lit SSR's escapeHtml does, with a fast exit for the common
 * clean string (it runs once per value on the page renderer's hot path).
 */
export function escapeHtml(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : value;
}

const SCRIPT_ESCAPES: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * Makes JSON (or a JS literal) safe inside a `<script>` element: with no `<`
 * left, neither `</script>` nor `<!--` can appear (HTML spec, "restrictions
 * for contents of script elements"); U+2028/2029 are escaped for old parsers.
 * Only valid where `<` can only occur inside string literals, as in JSON.
 */
export function escapeScriptJson(json: string): string {
  return json.replace(/[<\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c]!);
}

/** Keeps a style body inside its `<style>` element: `</style` cannot occur. CSS reads `\/` as `/`. */
export function escapeStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
