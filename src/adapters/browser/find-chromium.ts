/**
 * Finds the Chromium HouseCat drives. HouseCat never downloads a browser at run time: it uses the
 * one configured in HOUSECAT_CHROMIUM or one already installed (Debian's `chromium`, Google Chrome on
 * GitHub's runners).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AgentError } from '../../core/errors.js';

/** Program names searched on PATH, in order, when HOUSECAT_CHROMIUM is not set. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const INSTALL_HINT =
  'Install Chromium with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), ' +
  'or set HOUSECAT_CHROMIUM to the path of a Chromium or Google Chrome executable.';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Returns the browser executable: HOUSECAT_CHROMIUM when set (it must exist), else `/usr/bin/chromium`,
 * else the first of {@link CHROMIUM_NAMES} on PATH.
 * @throws AgentError naming HOUSECAT_CHROMIUM and the install command when none is found.
 */
export function findChromium(
  env: { HOUSECAT_CHROMIUM?: string },
  path: string = process.env.PATH ?? '',
): string {
  const configured = env.HOUSECAT_CHROMIUM;
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    throw new AgentError(
      `HOUSECAT_CHROMIUM is set to "${configured}", but no executable browser is there. ` +
        `Point HOUSECAT_CHROMIUM at Chromium or Google Chrome, or unset it to search the machine. ${INSTALL_HINT}`,
    );
  }
  const candidates = ['/usr/bin/chromium'];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of CHROMIUM_NAMES) candidates.push(join(dir, name));
  }
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  throw new AgentError(
    `No Chromium found (looked for /usr/bin/chromium and ${CHROMIUM_NAMES.join(', ')} on PATH). ${INSTALL_HINT}`,
  );
}
