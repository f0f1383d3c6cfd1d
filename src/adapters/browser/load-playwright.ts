/**
 * Loads playwright-core when a browser is first needed. A static import would load it with the
 * first module that mentions it — in the Action's bundle, at start-up in every mode — so a missing
 * or broken copy would also break modes that never open a browser (sync).
 */
import { AgentError } from '../../core/errors.js';

type PlaywrightCore = typeof import('playwright-core');

let loading: Promise<PlaywrightCore> | undefined;

/**
 * The playwright-core module, imported once.
 * @throws AgentError naming the package and the fix when it cannot be loaded.
 */
export function loadPlaywright(): Promise<PlaywrightCore> {
  // webpackIgnore keeps the bundler from turning this into a static import at the top of the
  // bundle; Node resolves it at run time from the chunk's folder (dist/node_modules/playwright-core).
  loading ??= import(/* webpackIgnore: true */ 'playwright-core').catch((error: unknown) => {
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
