/**
 * A strict XML well-formedness check for the SVG plots (Node has no XML parser and the plots must
 * not need a browser): one root element, balanced tags, quoted attributes without duplicates, and
 * `&` only in entities. Returns the element names in document order, or throws saying where the
 * document breaks.
 */
export function parseXml(text: string): string[] {
  const NAME = /^[A-Za-z_][\w.:-]*$/;
  const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  const elements: string[] = [];
  let roots = 0;
  let k = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at offset ${k}: ${why} (…${text.slice(Math.max(0, k - 40), k + 40)}…)`);
  };
  while (k < text.length) {
    const lt = text.indexOf('<', k);
    const chunk = text.slice(k, lt < 0 ? text.length : lt);
    if (ENTITY.test(chunk)) fail('a bare & in text');
    if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root element');
    if (chunk.includes('>')) fail('a bare > in text');
    if (lt < 0) break;
    k = lt;
    if (text.startsWith('<!--', k)) {
      const end = text.indexOf('-->', k);
      if (end < 0) fail('an unclosed comment');
      k = end + 3;
      continue;
    }
    const gt = text.indexOf('>', k);
    if (gt < 0) fail('an unclosed tag');
    const tag = text.slice(k + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) fail(`</${name}> closes nothing open`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const name = body.match(/^[^\s]+/)?.[0] ?? '';
      if (!NAME.test(name)) fail(`bad element name '${name}'`);
      let rest = body.slice(name.length);
      const seen = new Set<string>();
      const ATTR = /^\s+([A-Za-z_:][\w.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/;
      for (let m = rest.match(ATTR); m; m = rest.match(ATTR)) {
        if (seen.has(m[1])) fail(`attribute ${m[1]} twice`);
        seen.add(m[1]);
        if (ENTITY.test(m[2])) fail(`a bare & in attribute ${m[1]}`);
        rest = rest.slice(m[0].length);
      }
      if (rest.trim() !== '') fail(`cannot read attributes '${rest.trim()}' of <${name}>`);
      if (stack.length === 0 && ++roots > 1) fail('a second root element');
      elements.push(name);
      if (!selfClosing) stack.push(name);
    }
    k = gt + 1;
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]}> is never closed`);
  if (roots !== 1) fail('no root element');
  return elements;
}
