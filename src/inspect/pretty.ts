// Indented, highlighted XML for the inspector. Works on the text (no parser): it must show malformed and
// hostile messages too, exactly as they came, and never expands an entity. Output is escaped HTML.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Break the XML into one element per line, indented by depth. */
export function indentXml(xml: string): string {
  const tokens = xml.replace(/>\s+</g, '><').match(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<[^>]+>|[^<]+/g) ?? [xml];
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const pad = '  '.repeat(Math.max(0, depth));
    if (/^<\//.test(t)) {
      depth--;
      out.push('  '.repeat(Math.max(0, depth)) + t);
    } else if (/^<[^!?]/.test(t) && !/\/>$/.test(t)) {
      // <a>text</a> stays on one line.
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith('<') && close?.startsWith('</')) {
        out.push(pad + t + text + close);
        i += 2;
      } else {
        out.push(pad + t);
        depth++;
      }
    } else {
      out.push(pad + t);
    }
  }
  return out.join('\n');
}

/**
 * Indented XML as HTML with tags, attributes, values and comments in classes t, a, v, c. Everything is
 * escaped first and only <span>s are added after, so no message text can become markup.
 */
export function highlightXml(xml: string): string {
  return indentXml(xml)
    .split('\n')
    .map((line) =>
      esc(line)
        .replace(/(&lt;!--.*?--&gt;)/g, '<span class="c">$1</span>')
        .replace(/(&lt;\/?)([\w:.-]+)/g, '<span class="t">$1$2</span>')
        .replace(/([\w:.-]+)=&quot;(.*?)&quot;/g, '<span class="a">$1</span>=<span class="v">&quot;$2&quot;</span>')
        .replace(/(\/?&gt;)/g, '<span class="t">$1</span>'),
    )
    .join('\n');
}
