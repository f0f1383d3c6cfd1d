import { describe, expect, it } from 'vitest';
import {
  assertPublicAddress,
  checkPublicAddress,
  createAddressGuard,
  type LookupAll,
  PrivateAddressError,
} from '../../../src/adapters/net/public-address.js';

/** A resolver table standing in for a DNS zone (records an attacker could publish). */
function zone(records: Record<string, string[]>, calls: string[] = []): LookupAll {
  return async (hostname) => {
    calls.push(hostname);
    const addresses = records[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const records = {
  'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'metadata.attacker.example': ['169.254.169.254'],
  'mixed.attacker.example': ['93.184.215.14', '10.0.0.5'],
  'v6.attacker.example': ['::ffff:127.0.0.1'],
};

describe('assertPublicAddress', () => {
  it('accepts a name whose every address is public', async () => {
    await expect(
      assertPublicAddress('public.example', { allowPrivateNetwork: false, lookup: zone(records) }),
    ).resolves.toBeUndefined();
  });

  it('refuses a public-looking name that resolves to the metadata address', async () => {
    const error = await assertPublicAddress('metadata.attacker.example', {
      allowPrivateNetwork: false,
      lookup: zone(records),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrivateAddressError);
    expect((error as Error).message).toBe(
      'metadata.attacker.example resolves to 169.254.169.254, a private-network address (link-local / cloud metadata (169.254.0.0/16)); set HOUSECAT_ALLOW_PRIVATE_NETWORK=1 to allow it',
    );
  });

  it('refuses a name when any one of its addresses is private', async () => {
    await expect(
      assertPublicAddress('mixed.attacker.example', { allowPrivateNetwork: false, lookup: zone(records) }),
    ).rejects.toThrow(/resolves to 10\.0\.0\.5/);
    await expect(
      assertPublicAddress('v6.attacker.example', { allowPrivateNetwork: false, lookup: zone(records) }),
    ).rejects.toThrow(/loopback/);
  });

  it('refuses literal and reserved hosts without asking DNS', async () => {
    const calls: string[] = [];
    for (const host of [
      '127.0.0.1',
      '[::1]',
      '2852039166',
      'localhost',
      'x.localhost',
      'metadata.google.internal',
    ]) {
      await expect(
        assertPublicAddress(host, { allowPrivateNetwork: false, lookup: zone(records, calls) }),
      ).rejects.toThrow(/HOUSECAT_ALLOW_PRIVATE_NETWORK=1/);
    }
    expect(calls).toEqual([]);
  });

  it('resolves with the real OS resolver: localhost-style names are refused, a literal public IP is accepted', async () => {
    await expect(assertPublicAddress('localhost')).rejects.toThrow(PrivateAddressError);
    await expect(assertPublicAddress('1.1.1.1')).resolves.toBeUndefined();
  });

  it('allows everything when the private network is allowed', async () => {
    await expect(
      assertPublicAddress('metadata.attacker.example', { allowPrivateNetwork: true, lookup: zone(records) }),
    ).resolves.toBeUndefined();
  });

  it('lets a name that does not resolve through, for the browser to report', async () => {
    const decision = await checkPublicAddress('nowhere.example', {
      allowPrivateNetwork: false,
      lookup: zone(records),
    });
    expect(decision).toEqual({ allowed: true, addresses: [] });
  });
});

describe('createAddressGuard', () => {
  it('resolves each host once within the cache time and again after it', async () => {
    const calls: string[] = [];
    let now = 0;
    const guard = createAddressGuard({
      allowPrivateNetwork: false,
      lookup: zone(records, calls),
      cacheMs: 1000,
      now: () => now,
    });
    expect(await guard.checkUrl('https://public.example/a.js')).toEqual({ allowed: true });
    expect(await guard.checkUrl('https://public.example/b.css')).toEqual({ allowed: true });
    expect(calls).toEqual(['public.example']);
    now = 2000;
    await guard.checkUrl('https://public.example/c.png');
    expect(calls).toEqual(['public.example', 'public.example']);
  });

  it('refuses a URL whose host resolves privately and passes in-page schemes', async () => {
    const guard = createAddressGuard({ allowPrivateNetwork: false, lookup: zone(records) });
    const decision = await guard.checkUrl('http://metadata.attacker.example/latest/meta-data/');
    expect(decision.allowed).toBe(false);
    expect(await guard.checkUrl('data:text/plain,hi')).toEqual({ allowed: true });
  });
});
