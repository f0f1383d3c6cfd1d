import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { createHostPolicy, type HostPolicy } from '../../../src/core/net/host-policy.js';

function policy(url: string, allowedHosts: string[] = [], allowPrivateNetwork = false): HostPolicy {
  return createHostPolicy({ url, allowedHosts, allowPrivateNetwork });
}

function refusal(p: HostPolicy, url: string): string {
  const decision = p.check(url);
  if (decision.allowed) throw new Error(`expected ${url} to be refused`);
  return decision.reason;
}

describe('createHostPolicy: hosts', () => {
  const p = policy('https://myapp.com/login', ['auth.myapp.com', '*.cdn.example.net']);

  it('allows the test URL host on any path, http or https, ws or wss', () => {
    expect(p.check('https://myapp.com/dashboard?x=1')).toEqual({ allowed: true });
    expect(p.check('http://myapp.com/')).toEqual({ allowed: true });
    expect(p.check('wss://myapp.com/socket')).toEqual({ allowed: true });
    expect(p.check('HTTPS://MYAPP.COM./x')).toEqual({ allowed: true });
  });

  it('allows an exact allowed host and refuses its siblings and parents', () => {
    expect(p.check('https://auth.myapp.com/oauth')).toEqual({ allowed: true });
    expect(refusal(p, 'https://evil.myapp.com/')).toContain('https://evil.myapp.com is not an allowed host');
    expect(p.check('https://x.auth.myapp.com/').allowed).toBe(false);
  });

  it('matches a wildcard on subdomains at any depth but not on the apex', () => {
    expect(p.check('https://a.cdn.example.net/x.js')).toEqual({ allowed: true });
    expect(p.check('https://a.b.cdn.example.net/x.js')).toEqual({ allowed: true });
    expect(p.check('https://cdn.example.net/x.js').allowed).toBe(false);
    expect(p.check('https://evilcdn.example.net/x.js').allowed).toBe(false);
    expect(p.check('https://cdn.example.net.evil.com/x.js').allowed).toBe(false);
  });

  it('refuses a host that merely contains the allowed name', () => {
    expect(p.check('https://myapp.com.evil.com/').allowed).toBe(false);
    expect(p.check('https://notmyapp.com/').allowed).toBe(false);
    // userinfo must not fool the matcher
    expect(p.check('https://myapp.com@evil.com/').allowed).toBe(false);
  });

  it('matches internationalised names in either spelling', () => {
    const idn = policy('https://bücher.example/', ['*.mañana.example']);
    expect(idn.check('https://xn--bcher-kva.example/x').allowed).toBe(true);
    expect(idn.check('https://shop.xn--maana-pta.example/').allowed).toBe(true);
    expect(idn.check('https://shop.mañana.example/').allowed).toBe(true);
  });

  it('names the allowed hosts and the fix in a refusal', () => {
    const reason = refusal(p, 'https://tracker.io/pixel?token=secret');
    expect(reason).toBe(
      'https://tracker.io is not an allowed host (allowed: myapp.com, auth.myapp.com, *.cdn.example.net); add it to allowed_hosts if the test needs it',
    );
    expect(reason).not.toContain('secret');
  });
});

describe('createHostPolicy: ports', () => {
  it('allows only ports 80 and 443 for a host given without a port', () => {
    const p = policy('http://myapp.com/', ['api.myapp.com']);
    expect(p.check('https://myapp.com/').allowed).toBe(true);
    expect(p.check('http://myapp.com:443/').allowed).toBe(true);
    expect(refusal(p, 'http://myapp.com:6379/')).toContain('uses port 6379, which is not allowed');
    expect(p.check('https://api.myapp.com:8443/').allowed).toBe(false);
  });

  it('allows exactly the port of a test URL with an explicit port', () => {
    const p = policy('http://127.0.0.1:3000/', [], true);
    expect(p.check('http://127.0.0.1:3000/a').allowed).toBe(true);
    expect(p.check('ws://127.0.0.1:3000/live').allowed).toBe(true);
    expect(p.check('http://127.0.0.1:3001/').allowed).toBe(false);
    expect(p.check('http://127.0.0.1/').allowed).toBe(false);
  });

  it('allows exactly the port of an allowed host written with one', () => {
    const p = policy('https://myapp.com/', ['auth.myapp.com:8443', '*.svc.myapp.com:9000']);
    expect(p.check('https://auth.myapp.com:8443/').allowed).toBe(true);
    expect(p.check('https://auth.myapp.com/').allowed).toBe(false);
    expect(p.check('http://a.svc.myapp.com:9000/').allowed).toBe(true);
    expect(p.check('http://a.svc.myapp.com:9001/').allowed).toBe(false);
  });
});

describe('createHostPolicy: schemes', () => {
  const p = policy('https://myapp.com/');

  it('allows in-page schemes that never leave the browser', () => {
    expect(p.check('data:text/html,<p>hi</p>')).toEqual({ allowed: true });
    expect(p.check('blob:https://myapp.com/0b1c')).toEqual({ allowed: true });
    expect(p.check('about:blank')).toEqual({ allowed: true });
  });

  it.each([
    'file:///etc/passwd',
    'ftp://myapp.com/x',
    'chrome://settings',
    'javascript:alert(1)',
    'gopher://myapp.com/',
  ])('refuses %s', (url) => {
    expect(refusal(p, url)).toMatch(/scheme is not allowed/);
  });

  it('refuses something that is not a URL without throwing', () => {
    expect(refusal(p, 'not a url')).toContain('is not a valid URL');
  });
});

describe('createHostPolicy: private network', () => {
  // Every one of these is allowed in the list, so only the private-network rule can refuse them.
  const encoded: [string, string][] = [
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://2852039166/', 'link-local'],
    ['http://0xa9fea9fe/', 'link-local'],
    ['http://0251.0376.0251.0376/', 'link-local'],
    ['http://0xa9.0xfe.0xa9.0xfe/', 'link-local'],
    ['http://127.1/', 'loopback'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0/', 'this network'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://100.100.100.200/', 'carrier-grade NAT'],
    ['http://192.0.0.192/', 'IETF protocol'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'reserved'],
    ['http://[::1]/', 'loopback'],
    ['http://[::]/', 'unspecified'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::127.0.0.1]/', 'loopback'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['http://[2002:a9fe:a9fe::1]/', 'link-local'],
    ['http://[fd00::1]/', 'unique-local'],
    ['http://[fd00:ec2::254]/', 'unique-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://localhost/', 'reserved name'],
    ['http://LOCALHOST./', 'reserved name'],
    ['http://app.localhost/', '*.localhost'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://metadata/', 'metadata'],
  ];
  const everything = policy('https://myapp.com/', [
    ...new Set(
      encoded.map(([u]) => {
        const url = new URL(u);
        return url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
      }),
    ),
  ]);

  it.each(encoded)('refuses %s (%s) and names the flag', (url, kind) => {
    const reason = refusal(everything, url);
    expect(reason).toContain('private-network address');
    expect(reason).toContain(kind);
    expect(reason).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK=1');
  });

  it('refuses a private test URL itself unless the flag is set', () => {
    expect(refusal(policy('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/')).toContain(
      'HOUSECAT_ALLOW_PRIVATE_NETWORK',
    );
    expect(policy('http://127.0.0.1:8080/', [], true).check('http://127.0.0.1:8080/')).toEqual({
      allowed: true,
    });
  });

  it('still applies the host list when private addresses are allowed', () => {
    const p = policy('http://127.0.0.1:8080/', [], true);
    expect(refusal(p, 'http://169.254.169.254/')).toContain('not an allowed host');
    expect(p.check('http://localhost:8080/').allowed).toBe(false);
  });

  it('leaves public addresses alone, including near-miss ranges', () => {
    const p = policy('https://8.8.8.8/', ['172.32.0.1', '100.128.0.1', '[2606:4700::1111]', '169.255.0.1']);
    for (const url of [
      'https://8.8.8.8/',
      'http://172.32.0.1/',
      'http://100.128.0.1/',
      'http://[2606:4700::1111]/',
      'http://169.255.0.1/',
    ]) {
      expect(p.check(url), url).toEqual({ allowed: true });
    }
  });
});

describe('createHostPolicy: configuration errors', () => {
  it('throws a ConfigError naming a bad test URL', () => {
    expect(() => policy('myapp.com/login')).toThrow(ConfigError);
    expect(() => policy('myapp.com/login')).toThrow(/"myapp.com\/login" is not a valid absolute URL/);
    expect(() => policy('ftp://myapp.com/')).toThrow(/must start with http:\/\/ or https:\/\//);
  });

  it('throws a ConfigError naming the bad allowed_hosts entry', () => {
    expect(() => policy('https://myapp.com/', ['ok.com', 'bad host'])).toThrow(
      /allowed_hosts\[1\]: "bad host"/,
    );
    expect(() => policy('https://myapp.com/', ['*'])).toThrow(/allowed_hosts\[0\]/);
    expect(() => policy('https://myapp.com/', ['*.com'])).toThrow(/too broad/);
    expect(() => policy('https://myapp.com/', ['a.*.com'])).toThrow(/not a valid host/);
  });

  it('accepts an allowed host written as a URL', () => {
    const p = policy('https://myapp.com/', ['https://Auth.MyApp.com/']);
    expect(p.check('https://auth.myapp.com/x').allowed).toBe(true);
  });
});
