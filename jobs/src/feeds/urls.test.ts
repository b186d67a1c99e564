import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, resolveHttpUrl } from './urls.ts';

describe('canonicalizeUrl', () => {
  it('lower-cases the host, drops the fragment and the default port', () => {
    expect(canonicalizeUrl('https://News.EXAMPLE.com:443/Story#comments')).toBe('https://news.example.com/Story');
  });

  it('drops tracking parameters and keeps the others in order', () => {
    expect(canonicalizeUrl('https://example.com/a?b=2&utm_source=rss&UTM_Medium=x&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&a=1')).toBe(
      'https://example.com/a?b=2&a=1',
    );
  });

  it('drops the question mark when no parameter is left', () => {
    expect(canonicalizeUrl('https://example.com/a?utm_campaign=x')).toBe('https://example.com/a');
  });

  it('leaves a clean URL untouched', () => {
    expect(canonicalizeUrl('https://example.com/a?id=1%202')).toBe('https://example.com/a?id=1%202');
  });
});

describe('resolveHttpUrl', () => {
  it('resolves relative references', () => {
    expect(resolveHttpUrl('../b', 'https://example.com/x/y/z')).toBe('https://example.com/x/b');
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'mailto:a@example.com', 'ftp://example.com/', 'https://u:p@example.com/', '', '   '])(
    'refuses %j',
    (value) => {
      expect(resolveHttpUrl(value, 'https://example.com/')).toBeUndefined();
    },
  );

  it('refuses absurdly long URLs', () => {
    expect(resolveHttpUrl(`https://example.com/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});
