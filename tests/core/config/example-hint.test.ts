import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitionsFile } from '../../../src/adapters/definitions-file.js';
import { EXAMPLE_URL, parseDefinitions } from '../../../src/core/config/parse.js';

// Users have no examples/ folder: the hint must be an address they can open.
describe('the hint errors give for the file format', () => {
  it('names the public example, not a path in this repository, for an empty file', () => {
    const outcome = parseDefinitions('', { file: 'housecat.yml', repo: 'acme/shop' });
    expect(outcome.ok).toBe(false);
    const message = outcome.ok ? '' : (outcome.diagnostics[0]?.message ?? '');
    expect(message).toContain(EXAMPLE_URL);
    expect(message).not.toMatch(/see examples\//);
  });

  it('names it when the definitions file is missing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'housecat-hint-'));
    try {
      await expect(loadDefinitionsFile(join(folder, '.github/housecat.yml'), 'acme/shop')).rejects.toThrow(
        EXAMPLE_URL,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('points at the path of a file this repository holds', () => {
    const path = EXAMPLE_URL.replace('https://github.com/housecat-dev/housecat/blob/main/', '');
    expect(existsSync(join(import.meta.dirname, '../../..', path))).toBe(true);
  });
});
