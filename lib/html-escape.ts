const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML text content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
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
