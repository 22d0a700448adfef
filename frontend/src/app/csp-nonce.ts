/**
 * The page's Content-Security-Policy nonce: the gateway writes a fresh one into each HTML answer
 * (`<meta property="csp-nonce" nonce="…">`, from Vite's html.cspNonce) and allows only styles carrying it.
 * antd's CSS-in-JS gets it through ConfigProvider; the few <style> tags rc-component libraries insert
 * without asking (the modal scroll lock, the scrollbar measurement) get it from `nonceDynamicStyles`.
 */

export function cspNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  // Browsers hide a nonce attribute from getAttribute once applied; the property keeps it.
  const nonce = meta?.nonce || meta?.getAttribute('nonce') || '';
  return nonce && nonce !== '__CSP_NONCE__' ? nonce : undefined;
}

type CreateElement = (tagName: string, options?: ElementCreationOptions) => HTMLElement;

/** Give every <style> element the page creates the nonce, so library styles pass the page's policy. */
export function nonceDynamicStyles(nonce: string | undefined, doc: Document = document): void {
  if (!nonce) return;
  const create: CreateElement = Reflect.get<Document, 'createElement'>(Document.prototype, 'createElement');
  const bound: CreateElement = (tagName, options) => create.call(doc, tagName, options);
  const withNonce: CreateElement = (tagName, options) => {
    const element = bound(tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  };
  Object.defineProperty(doc, 'createElement', { value: withNonce, configurable: true, writable: true });
}
