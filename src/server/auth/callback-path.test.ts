import { describe, expect, it } from 'vitest';
import { safeCallbackPath, safeRedirectUrl } from './callback-path';

describe('safeCallbackPath', () => {
  it('keeps a path of this panel, with its query and fragment', () => {
    for (const p of ['/nas', '/nas/12', '/nas?status=offline&q=core%20router', '/resellers/3#nas', '/users', '/diagnostics?nas_id=7'])
      expect(safeCallbackPath(p)).toBe(p);
  });

  it('sends everything that could leave the panel to /nas', () => {
    const hostile = [
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/%5Cevil.example',
      '/%5cevil.example',
      '/%255Cevil.example',
      '/%2F/evil.example',
      '%2F%2Fevil.example',
      'https://evil.example',
      'http:evil.example',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/%09/evil.example',
      '/%0a/evil.example',
      '/\u0000/x',
      '/nas/../..//evil.example',
      '/./\\evil.example',
      'evil.example',
      'nas',
      '',
      '/%E0%A4%A', // last: malformed escape
    ];
    for (const h of hostile) expect(safeCallbackPath(h), JSON.stringify(h)).toBe('/nas');
  });

  it('sends a missing or non-string value to /nas', () => {
    for (const v of [undefined, null, 42, ['/users'], { path: '/users' }]) expect(safeCallbackPath(v)).toBe('/nas');
  });
});

describe('safeRedirectUrl (next-auth redirect callback)', () => {
  const base = 'http://127.0.0.1:3000';
  it('keeps paths and same-origin URLs, as absolute URLs of this panel', () => {
    expect(safeRedirectUrl('/signin', base)).toBe('http://127.0.0.1:3000/signin');
    expect(safeRedirectUrl('http://127.0.0.1:3000/nas/4?x=1', base)).toBe('http://127.0.0.1:3000/nas/4?x=1');
  });

  it('sends other origins and hostile paths to /nas', () => {
    for (const u of [
      'https://evil.example/nas',
      'http://127.0.0.1:3001/nas',
      '//evil.example',
      '/\\evil.example',
      'http://127.0.0.1:3000\\\\evil.example',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(safeRedirectUrl(u, base), u).toBe('http://127.0.0.1:3000/nas');
  });
});
