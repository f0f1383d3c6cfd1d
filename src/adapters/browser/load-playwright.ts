/**
 * Loads playwright-core when a browser is first needed. A static import would load it with the
 * first module that mentions it — in the Action's bundle, at start-up in every mode — so a missing
 * or broken copy would also break modes that never open a browser (sync).
 */
import { createRequire } from 'node:module';
import { AgentError } from '../../core/errors.js';

type PlaywrightCore = typeof import('playwright-core');

const PACKAGE = 'playwright-core';

let loading: Promise<PlaywrightCore> | undefined;

/**
 * The playwright-core module, imported once.
 * @throws AgentError naming the package and the fix when it cannot be loaded.
 */
export function loadPlaywright(): Promise<PlaywrightCore> {
  // require, not import(): the bundler hoists an external import() to a static import at the top
  // of the bundle, and Node 20 reports a CommonJS package that fails to load through import()
  // twice, the second time as an uncaught crash. Resolved from this file's folder at run time
  // (in the Action: dist/node_modules/playwright-core).
  loading ??= Promise.resolve()
    .then(() => createRequire(import.meta.url)(PACKAGE) as PlaywrightCore)
    .catch((error: unknown) => {
      loading = undefined;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new AgentError(
        `playwright-core could not be loaded, so no browser test can run: ${message}. ` +
          'Running the Action: its dist/node_modules/playwright-core is incomplete — use a released ' +
          'version of the Action, or rebuild with `npm run build` and commit all of dist/. ' +
          'Running from source: run `npm ci`.',
      );
    });
  return loading;
}
