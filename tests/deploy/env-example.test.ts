import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The settings HouseCatEnv declares: the one reader of the environment (src/adapters/env.ts). */
function declaredSettings(): string[] {
  const block = /export interface HouseCatEnv \{([\s\S]*?)\n\}/.exec(read('src/adapters/env.ts'))?.[1] ?? '';
  return [...block.matchAll(/^\s+([A-Z][A-Z0-9_]+)\?: string;/gm)].map((m) => m[1] as string);
}

describe('.env.example', () => {
  it('lists every setting the environment reader knows, each with a comment above it', () => {
    const names = declaredSettings();
    expect(names.length).toBeGreaterThan(25);
    const lines = read('.env.example').split('\n');
    for (const name of names) {
      const at = lines.findIndex((l) => new RegExp(`^#? ?${name}=`).test(l));
      expect(at, `${name} is missing from .env.example`).toBeGreaterThan(0);
      // A pair that belongs together (the two signing keys) shares the comment above the first.
      let above = at - 1;
      while (above > 0 && /^[A-Z][A-Z0-9_]+=/.test(lines[above] ?? '')) above--;
      expect(lines[above]?.startsWith('# '), `${name} has no comment above it`).toBe(true);
    }
  });

  it('lists the settings the app configuration reads (src/bot/config.ts)', () => {
    const example = read('.env.example');
    const config = read('src/bot/config.ts');
    const names = [...config.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      expect(example, `${name} (read in src/bot/config.ts)`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });

  it('is kept out of the image build context, like the real .env', () => {
    const ignore = read('.dockerignore').split('\n');
    expect(ignore).toContain('.env');
    expect(ignore).toContain('*.pem');
  });
});
