/**
 * Text from users and other programs (notes, tags, error messages, worker names, field names in a
 * spec) made safe for a terminal: control characters — escape sequences that could recolour,
 * retitle or rewrite the terminal, carriage returns and newlines that could fake a line — and the
 * bidirectional overrides that reorder what is shown are written as visible escapes (\x1b,
 * \u202e). Everything else, non-ASCII letters included, passes unchanged.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** printable() for a message of several lines: each line escaped, the line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
