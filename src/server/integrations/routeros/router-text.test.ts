import { describe, expect, it } from 'vitest';
import { cleanRouterText } from './router-text';

describe('cleanRouterText', () => {
  it('removes C0, DEL and C1 controls and turns line breaks and tabs into a space', () => {
    expect(cleanRouterText('core\u0007-1\u001b[31m\u007f\u0085\u009b')).toBe('core-1[31m');
    expect(cleanRouterText('line one\r\nline two\tend\u0000')).toBe('line one line two end');
  });

  it('removes bidi embeddings, overrides and isolates', () => {
    const spoof = 'edge-\u202egnp.exe\u202c \u2066x\u2069 \u202a\u202b\u202c\u202d\u2067\u2068';
    expect(cleanRouterText(spoof)).toBe('edge-gnp.exe x ');
  });

  it('keeps ordinary text, including non-Latin scripts and emoji', () => {
    const text = 'Маршрутизатор Kraków 東京 ✓ 🚀 (stable)';
    expect(cleanRouterText(text)).toBe(text);
  });

  it('caps the length and marks the cut, without splitting a surrogate pair', () => {
    expect(cleanRouterText('abcdef', 6)).toBe('abcdef');
    expect(cleanRouterText('abcdefg', 6)).toBe('abcde…');
    expect(cleanRouterText('abcd🚀xyz', 6)).toBe('abcd…');
    expect(cleanRouterText('x'.repeat(10_000)).length).toBe(256);
  });

  it('caps after cleaning, so stripped characters do not count', () => {
    expect(cleanRouterText(`${'\u0001'.repeat(100)}abc`, 3)).toBe('abc');
  });
});
