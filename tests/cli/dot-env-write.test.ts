import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeDotEnv } from '../../src/cli/dot-env-write.js';

describe('mergeDotEnv', () => {
  let folder = '';
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('replaces a key quoted over several lines whole, keeps other lines, and leaves the file 0600', () => {
    folder = mkdtempSync(join(tmpdir(), 'housecat-dotenv-'));
    const file = join(folder, '.env');
    writeFileSync(
      file,
      '# app\nAPP_ID=1\nPRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nold\n-----END RSA PRIVATE KEY-----"\nREDIS_URL=redis://x\n',
      { mode: 0o644 },
    );
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nnew\n-----END RSA PRIVATE KEY-----\n';
    mergeDotEnv(file, { APP_ID: '42', PRIVATE_KEY: pem, WEBHOOK_SECRET: 's' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('old');
    expect(text.split('\n').slice(0, 2)).toEqual(['# app', 'APP_ID=42']);
    expect(parseEnv(text)).toEqual({
      APP_ID: '42',
      PRIVATE_KEY: pem,
      REDIS_URL: 'redis://x',
      WEBHOOK_SECRET: 's',
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
