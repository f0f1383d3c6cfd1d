// The Action's entry (bundled to dist/index.js). Everything happens in run().
import { run } from './main.js';

await run();
