import { describe, expect, it } from 'vitest';
import { hostProblem, secretNameProblem, urlProblem } from '../../../src/core/config/url-rules.js';

describe('URL and host rules', () => {
  it('accepts http and https URLs', () => {
    expect(urlProblem('https://myapp.com/login?next=/a#x')).toBeNull();
    expect(urlProblem('http://127.0.0.1:8080/')).toBeNull();
  });

  it.each([
    ['javascript:alert(1)', /not allowed/],
    ['JAVASCRIPT:alert(1)', /not allowed/],
    ['file:///etc/passwd', /not allowed/],
    ['data:text/html,x', /not allowed/],
    ['ftp://x.com', /not allowed/],
    ['myapp.com/login', /missing its scheme/],
    ['https://user:pw@x.com', /user name or password/],
    ['https://user@x.com', /user name or password/],
    ['https://exa mple.com', /not a valid URL/],
    ['https://', /not a valid URL/],
  ])('rejects %j', (url, message) => {
    expect(urlProblem(url)).toMatch(message);
  });

  it('accepts host names, wildcards, ports and IP literals', () => {
    for (const host of [
      'auth.myapp.com',
      '*.myapp.com',
      'localhost:3000',
      '127.0.0.1',
      '[::1]:8080',
      'xn--bcher-kva.de',
    ]) {
      expect(hostProblem(host), host).toBeNull();
    }
  });

  it('rejects URLs, paths and junk as hosts', () => {
    for (const host of ['https://a.com', 'a.com/path', 'a b.com', '-a.com', 'a.com:99999', '*.[::1]', '']) {
      expect(hostProblem(host), host).not.toBeNull();
    }
  });

  it('accepts env var names and refuses HouseCat credentials', () => {
    expect(secretNameProblem('DEMO_PASSWORD')).toBeNull();
    expect(secretNameProblem('demo-password')).toMatch(/environment variable name/);
    expect(secretNameProblem('1PASS')).toMatch(/environment variable name/);
    expect(secretNameProblem('ANTHROPIC_API_KEY')).toMatch(/own credentials/);
    expect(secretNameProblem('qstash_token')).toMatch(/own credentials/);
  });
});
