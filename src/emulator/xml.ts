/** A tiny XML writer: enough for AWS query and REST-XML responses, with every text value escaped. */

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}

/** An element with already-serialized children. */
export function el(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** An element holding text; nothing at all when the value is absent. */
export function text(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An awsQuery list: <Name><member>...</member>...</Name>. */
export function members(name: string, items: string[]): string {
  return `<${name}>${items.map((i) => `<member>${i}</member>`).join('')}</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
