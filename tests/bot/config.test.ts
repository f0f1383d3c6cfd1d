import { describe, expect, it } from 'vitest';
import { readBotConfig } from '../../src/bot/config.js';
import { ConfigError } from '../../src/core/errors.js';

const KEY = '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n';
const complete = {
  APP_ID: '123',
  PRIVATE_KEY: KEY.replace(/\n/g, '\\n'),
  WEBHOOK_SECRET: 's',
  HOUSECAT_PUBLIC_URL: 'https://housecat.example.com/',
  QSTASH_CURRENT_SIGNING_KEY: 'c',
  QSTASH_NEXT_SIGNING_KEY: 'n',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('readBotConfig', () => {
  it('reads a complete configuration, unescaping the key and trimming the URL', () => {
    const config = readBotConfig(complete);
    expect(config).toMatchObject({
      appId: '123',
      privateKey: KEY,
      publicUrl: 'https://housecat.example.com',
      port: 3000,
    });
    expect(config.githubApiUrl).toBeUndefined();
  });

  it('reads the key from PRIVATE_KEY_PATH and builds the GHE API URL', () => {
    const { PRIVATE_KEY: _, ...rest } = complete;
    const config = readBotConfig(
      { ...rest, PRIVATE_KEY_PATH: '/k.pem', GHE_HOST: 'ghe.corp', PORT: '8080' },
      (p) => {
        expect(p).toBe('/k.pem');
        return KEY;
      },
    );
    expect(config).toMatchObject({ privateKey: KEY, githubApiUrl: 'https://ghe.corp/api/v3', port: 8080 });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      readBotConfig(
        {
          APP_ID: 'my-app',
          PRIVATE_KEY_PATH: '/missing.pem',
          HOUSECAT_PUBLIC_URL: 'ftp://x',
          PORT: 'eighty',
        },
        () => {
          throw new Error('ENOENT: no such file');
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const part of [
      'APP_ID is "my-app"',
      'PRIVATE_KEY_PATH is "/missing.pem" but the file cannot be read: ENOENT',
      'WEBHOOK_SECRET is not set',
      'HOUSECAT_PUBLIC_URL is "ftp://x"',
      'QSTASH_CURRENT_SIGNING_KEY is not set',
      'QSTASH_NEXT_SIGNING_KEY is not set',
      'PORT is "eighty"',
      'no Redis is configured: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('names the missing half of an Upstash REST configuration with the other problems', () => {
    const { REDIS_URL: _, ...rest } = complete;
    expect(() => readBotConfig({ ...rest, UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' })).toThrow(
      /UPSTASH_REDIS_REST_TOKEN is not set, but UPSTASH_REDIS_REST_URL is/,
    );
  });

  it('refuses a private key that is not PEM', () => {
    expect(() => readBotConfig({ ...complete, PRIVATE_KEY: 'ghp_notakey' })).toThrow(/not a PEM key/);
  });
});
