/**
 * The dashboard's Run now: the same rule as the `/housecat run` comment (write access, asked of
 * GitHub at the moment of the request with the app's installation token), then a `manual` run that
 * moves the incident like the comment's. The run goes on after the answer: the page follows it live.
 */
import { canRunTests } from '../../core/dashboard/access.js';
import type { TestDefinition } from '../../core/types.js';
import { type RunNowDeps, runTestNow } from '../run-now.js';

export type RunRequestOutcome = 'started' | 'forbidden';

export async function runFromDashboard(
  deps: RunNowDeps,
  request: {
    test: TestDefinition;
    login: string;
    /** The person's permission on the test's repository, as GitHub reports it now. */
    permissionOf: () => Promise<string>;
    /** Called when the run is over (frees the run slot). */
    done?: () => void;
  },
): Promise<RunRequestOutcome> {
  if (!canRunTests(await request.permissionOf())) return 'forbidden';
  deps.logger.info(`${request.test.id}: run requested by ${request.login} from the dashboard`);
  runTestNow(deps, request.test, { kind: 'manual' })
    .then((outcome) => {
      if (outcome.kind === 'busy') deps.logger.info(`${request.test.id}: a run was already in progress`);
    })
    .catch((error: unknown) =>
      deps.logger.error(`${request.test.id}: run from the dashboard failed: ${String(error)}`),
    )
    .finally(() => request.done?.());
  return 'started';
}
