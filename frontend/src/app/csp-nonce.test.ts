import { cspNonce, nonceDynamicStyles } from './csp-nonce';

describe('the CSP nonce', () => {
  afterEach(() => {
    document.head.innerHTML = '';
    Reflect.deleteProperty(document, 'createElement');
  });

  it('is read from the meta tag the gateway filled in', () => {
    document.head.innerHTML = '<meta property="csp-nonce" nonce="abc123">';
    expect(cspNonce()).toBe('abc123');
  });

  it('is absent when the page was not served by the gateway (the placeholder is still there)', () => {
    document.head.innerHTML = '<meta property="csp-nonce" nonce="__CSP_NONCE__">';
    expect(cspNonce()).toBeUndefined();
  });

  it('is given to every style element a library creates, and to nothing else', () => {
    nonceDynamicStyles('abc123');
    const style = document.createElement('style');
    const div = document.createElement('div');
    expect(style.nonce).toBe('abc123');
    expect(div.getAttribute('nonce')).toBeNull();
  });
});
